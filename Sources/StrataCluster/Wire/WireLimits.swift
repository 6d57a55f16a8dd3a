/// Upper bounds on a frame's counts, so a hostile length cannot make a decoder allocate without
/// limit. Generous for any real step; a peer exceeding them is refused with `WireError.invalidField`.
public struct WireLimits: Sendable, Equatable {
    /// Most rows (tokens) per step.
    public var maxRows = 65_536
    /// Most floats per hidden-state row.
    public var maxWidth = 65_536
    /// Most sequences per step (block tables, samples, new and removed sequences).
    public var maxSequences = 65_536
    /// Most blocks in one block table.
    public var maxBlocksPerSequence = 1 << 20
    /// Most tokens in one prompt, end-token set, logit-bias map or top-logprobs list.
    public var maxListLength = 1 << 22

    /// The default limits.
    public init() {}
}
