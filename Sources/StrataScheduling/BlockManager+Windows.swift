/// Sliding-window KV groups: which leading blocks a sequence no longer needs, and how many
/// blocks a sequence can hold at once.
extension BlockManager {
    /// The first block of `group` a sequence whose first `computedTokens` tokens are computed
    /// still needs: the next position `p = computedTokens` (and every later one) attends to
    /// positions `p - window + 1 ... p` only, so blocks wholly before that are never read again.
    /// 0 for a full-attention group.
    public func firstLiveBlock(group: Int, computedTokens: Int) -> Int {
        Self.firstLiveBlock(window: groupWindows[group], computedTokens: computedTokens, blockSize: blockSize)
    }

    static func firstLiveBlock(window: Int?, computedTokens: Int, blockSize: Int) -> Int {
        guard let window else { return 0 }
        return max(0, computedTokens - window + 1) / blockSize
    }

    /// Most blocks, over all groups, that one sequence of `tokenCount` KV positions holds at
    /// once when computed in chunks of at most `maxChunk` tokens (a prefill chunk's rows attend
    /// to each other, so a sliding group holds its window plus the chunk).
    public func blocksRequired(tokens tokenCount: Int, maxChunk: Int) -> Int {
        Self.blocksRequired(tokens: tokenCount, maxChunk: maxChunk, blockSize: blockSize, groupWindows: groupWindows)
    }

    /// `blocksRequired(tokens:maxChunk:)` for a pool of `blockSize`-token blocks and groups with `groupWindows`.
    public static func blocksRequired(tokens tokenCount: Int, maxChunk: Int, blockSize: Int, groupWindows: [Int?]) -> Int {
        let all = (tokenCount + blockSize - 1) / blockSize
        return groupWindows.reduce(0) { sum, window in
            guard let window else { return sum + all }
            // Positions c - window + 1 ..< c + chunk touch at most ceil(span / blockSize) + 1 blocks.
            let span = window - 1 + min(maxChunk, tokenCount)
            return sum + min(all, (span + blockSize - 1) / blockSize + 1)
        }
    }

    /// Releases the blocks of `sequence`'s sliding-window groups that lie wholly before its
    /// window (see `firstLiveBlock`), replacing them with `nullBlock` in its tables. Cached blocks
    /// stay in the prefix cache as evictable. Call after its computed tokens advanced.
    public mutating func releaseOutOfWindowBlocks(_ sequence: inout SequenceState) {
        for group in groupWindows.indices where groupWindows[group] != nil {
            let live = min(firstLiveBlock(group: group, computedTokens: sequence.computedTokenCount),
                           sequence.blockTables[group].count)
            // Released entries are a leading run of nulls: walk back from the new boundary, then
            // release oldest first, so the earliest positions are also the first evicted.
            var start = live
            while start > 0, sequence.blockTables[group][start - 1] != Self.nullBlock { start -= 1 }
            for block in start ..< max(start, live) {
                release(sequence.blockTables[group][block])
                sequence.blockTables[group][block] = Self.nullBlock
                windowReleaseCount += 1
            }
        }
    }
}
