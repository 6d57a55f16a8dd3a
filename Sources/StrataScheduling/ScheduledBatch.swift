/// One step's work chosen by the `Scheduler`: for each scheduled sequence, a run of consecutive
/// tokens to compute (a prefill chunk or one decode token) and its block table.
///
/// The engine turns it into a model forward batch with `rows()`; `blockTables` hold each
/// sequence's tables, one per KV group, in the rows' sequence-index order.
public struct ScheduledBatch: Sendable, Equatable {
    /// The tokens of one sequence in this batch.
    public struct Entry: Sendable, Equatable {
        /// The sequence.
        public let sequenceID: SequenceID
        /// Token ids to compute, at positions `startPosition ..< startPosition + tokens.count`.
        public let tokens: [Int32]
        /// Position of the first token; every earlier position's KV is already cached.
        public let startPosition: Int
        /// The sequence's block tables, one per KV group, covering every position up to the last
        /// token here (a sliding-window group: every position these tokens attend to).
        public let blockTables: [[Int32]]
        /// Whether the last token is the sequence's last known one, so a next token is sampled
        /// from its logits (false for a prefill chunk that leaves prompt tokens to compute).
        public let samplesNextToken: Bool

        /// The first KV group's block table.
        public var blockTable: [Int32] { blockTables.first ?? [] }
    }

    /// Scheduled sequences: running ones most urgent first, then newly admitted ones.
    public let entries: [Entry]

    /// Sequences preempted while building this batch (blocks freed, back in the waiting queue).
    public let preempted: [SequenceID]

    /// Total tokens in the batch.
    public var tokenCount: Int { entries.reduce(0) { $0 + $1.tokens.count } }

    /// Whether there is nothing to run.
    public var isEmpty: Bool { entries.isEmpty }

    /// Ids of the sequences for which a token is sampled, in the order `postprocess` expects them.
    public var samplingSequenceIDs: [SequenceID] { entries.filter(\.samplesNextToken).map(\.sequenceID) }

    /// The rows of a model forward batch: token, position and sequence index; sequence `i`'s
    /// table of group `g` is `blockTables[i * groupCount + g]`, its block ids moved up by
    /// `blockOffset` (the start of this scheduler's share of a larger pool; null entries stay null).
    public func rows(blockOffset: Int32 = 0) -> (tokens: [Int32], positions: [Int32], sequenceIndices: [Int32], blockTables: [[Int32]]) {
        var tokens: [Int32] = [], positions: [Int32] = [], indices: [Int32] = []
        tokens.reserveCapacity(tokenCount)
        for (index, entry) in entries.enumerated() {
            tokens += entry.tokens
            positions += (0 ..< entry.tokens.count).map { Int32(entry.startPosition + $0) }
            indices += repeatElement(Int32(index), count: entry.tokens.count)
        }
        let tables = entries.flatMap(\.blockTables)
        guard blockOffset != 0 else { return (tokens, positions, indices, tables) }
        let moved = tables.map { table in table.map { $0 == BlockManager.nullBlock ? $0 : $0 + blockOffset } }
        return (tokens, positions, indices, moved)
    }
}
