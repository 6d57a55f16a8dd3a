/// The longest prefix of a sequence whose KV every group can take from the prefix cache.
///
/// For a full-attention group that is every block of the prefix; for a sliding-window group only
/// the blocks the first computed position still attends to (the rest are `BlockManager.nullBlock`).
public struct CachedPrefix: Sendable, Equatable {
    /// Leading blocks (of every group) covered by the hit.
    public let blockCount: Int
    /// Per KV group: `blockCount` entries, cached blocks or `BlockManager.nullBlock`.
    public let tables: [[Int32]]
    /// The chained hashes of the `blockCount` blocks.
    public let hashes: [BlockHash]

    /// Cached blocks across all groups (null entries not counted).
    public var heldBlocks: [Int32] { tables.flatMap { $0.filter { $0 != BlockManager.nullBlock } } }
}
