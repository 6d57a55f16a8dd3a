/// One step's worth of tokens for a model stage: any mix of prefill chunks and decode tokens
/// from any number of sequences.
///
/// Row `i` is token `tokens[i]` at `positions[i]` of sequence `s = sequenceIndices[i]`, whose KV
/// cache blocks for group `g` of the cache's `KVCacheLayout` are `blockTables[s * groupCount + g]`
/// (block `b` holds positions `b * blockSize ..< (b + 1) * blockSize`; a sliding-window group's
/// table may hold `-1` for blocks before every position its rows attend to). Rows of one sequence must be in increasing position
/// order, and every earlier position of that sequence must already be in the cache or in this batch.
public struct ForwardBatch: Sendable, Equatable {
    /// Token ids, one per row. Only the first stage reads them.
    public var tokens: [Int32]
    /// Position of each row within its sequence.
    public var positions: [Int32]
    /// For each row, the index of its sequence in `blockTables`.
    public var sequenceIndices: [Int32]
    /// For each sequence in the batch, then each KV group, the blocks holding its positions, in order.
    public var blockTables: [[Int32]]
    /// Block tables per sequence: the cache layout's group count.
    public var groupCount: Int

    /// Creates a batch; the arrays `tokens`, `positions` and `sequenceIndices` have one entry per
    /// row, `blockTables` `groupCount` per sequence.
    public init(tokens: [Int32], positions: [Int32], sequenceIndices: [Int32], blockTables: [[Int32]], groupCount: Int = 1) {
        self.tokens = tokens
        self.positions = positions
        self.sequenceIndices = sequenceIndices
        self.blockTables = blockTables
        self.groupCount = groupCount
    }

    /// A batch holding `tokens` of a single sequence starting at `startPosition`, for a cache with one KV group.
    public static func singleSequence(tokens: [Int32], startPosition: Int, blockTable: [Int32]) -> ForwardBatch {
        ForwardBatch(
            tokens: tokens,
            positions: (0 ..< tokens.count).map { Int32(startPosition + $0) },
            sequenceIndices: Array(repeating: 0, count: tokens.count),
            blockTables: [blockTable]
        )
    }

    /// Number of rows.
    public var count: Int { positions.count }
}
