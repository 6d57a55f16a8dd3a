/// Identifier of a request, chosen by the caller.
public typealias SequenceID = Int

/// One request's state: its tokens, status, KV block table and how much of it is computed.
///
/// Named `SequenceState` rather than nano-vllm's `Sequence` so that modules importing this one
/// keep `Sequence` meaning `Swift.Sequence`.
public struct SequenceState: Sendable, Equatable, Identifiable {
    /// Where a sequence is in its life.
    public enum Status: Sendable, Equatable {
        /// In the waiting queue: new, or preempted and holding no blocks.
        case waiting
        /// In the running queue: prefilling in chunks or decoding.
        case running
        /// Done; its blocks are released.
        case finished(FinishReason)
    }

    /// Why a sequence finished.
    public enum FinishReason: Sendable, Equatable {
        /// It generated `maxTokens` tokens.
        case length
        /// The caller signalled a stop (EOS, stop token or stop string).
        case stop
        /// The caller cancelled it.
        case cancelled
    }

    /// The caller's id.
    public let id: SequenceID
    /// Prompt token ids.
    public let promptTokens: [Int32]
    /// Tokens sampled so far.
    public internal(set) var generatedTokens: [Int32] = []
    /// Current status.
    public internal(set) var status: Status = .waiting
    /// One block table per KV group (`SchedulerConfig.groupWindows`), all of the same length:
    /// entry `b` is the block holding positions `b * blockSize ..< (b + 1) * blockSize` of that
    /// group's layers, or `BlockManager.nullBlock` where a sliding-window group released it.
    /// Empty while the sequence holds no blocks.
    public internal(set) var blockTables: [[Int32]] = []
    /// Prefix-cache hashes of the full blocks at the front of the block tables.
    public internal(set) var blockHashes: [BlockHash] = []
    /// Number of leading tokens whose KV is in the cache.
    public internal(set) var computedTokenCount = 0
    /// Tokens taken from the prefix cache at the last allocation instead of being computed.
    public internal(set) var cachedTokenCount = 0
    /// Scheduling priority: lower is more urgent (as in vLLM); ties go first come, first served.
    public let priority: Int
    /// Order of arrival at the scheduler, assigned on admission.
    public let arrival: Int
    /// Most tokens to generate.
    public let maxTokens: Int
    /// How many times this sequence was preempted.
    public internal(set) var preemptionCount = 0

    init(id: SequenceID, promptTokens: [Int32], maxTokens: Int, priority: Int, arrival: Int) {
        self.id = id
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.priority = priority
        self.arrival = arrival
    }

    /// Prompt plus generated tokens.
    public var tokenCount: Int { promptTokens.count + generatedTokens.count }

    /// Prompt and generated tokens in order.
    public var allTokens: [Int32] { promptTokens + generatedTokens }

    /// The token at `position` (prompt first, then generated).
    public func token(at position: Int) -> Int32 {
        position < promptTokens.count
            ? promptTokens[position] : generatedTokens[position - promptTokens.count]
    }

    /// The first KV group's block table (the only one when every layer shares a table).
    public var blockTable: [Int32] { blockTables.first ?? [] }

    /// Tokens known but whose KV is not computed yet (1 while decoding).
    public var uncomputedTokenCount: Int { tokenCount - computedTokenCount }

    /// True once finished.
    public var isFinished: Bool {
        if case .finished = status { return true }
        return false
    }

    /// Urgency order: lower priority value first, then earlier arrival.
    func isMoreUrgent(than other: SequenceState) -> Bool {
        (priority, arrival) < (other.priority, other.arrival)
    }
}
