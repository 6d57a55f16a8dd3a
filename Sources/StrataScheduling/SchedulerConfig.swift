/// Limits of the scheduler and the size of the KV block pool.
public struct SchedulerConfig: Sendable, Equatable {
    /// Number of KV blocks in the pool.
    public let blockCount: Int
    /// Token slots per KV block.
    public let blockSize: Int
    /// Most tokens (prefill chunks plus decode tokens) in one batch (`--max-batch-tokens`).
    public let maxBatchTokens: Int
    /// Most sequences running at once (`--max-running`).
    public let maxRunning: Int
    /// Most requests waiting for admission; more are refused with `SchedulingError.queueFull`.
    public let maxWaiting: Int
    /// The model's context length: prompt plus `maxTokens` may not exceed it.
    public let contextLength: Int
    /// The KV groups: one entry per group of layers sharing a block table, nil for full
    /// attention, else the group's sliding window in positions (blocks wholly before a
    /// sequence's window are released). `[nil]`, the default, is one table for every layer.
    public let groupWindows: [Int?]

    /// Checks every limit is positive and there is at least one KV group.
    public init(
        blockCount: Int, blockSize: Int = 16, maxBatchTokens: Int = 512, maxRunning: Int = 32,
        maxWaiting: Int = 1024, contextLength: Int, groupWindows: [Int?] = [nil]
    ) throws(SchedulingError) {
        for (name, value) in [
            ("blockCount", blockCount), ("blockSize", blockSize), ("maxBatchTokens", maxBatchTokens),
            ("maxRunning", maxRunning), ("maxWaiting", maxWaiting), ("contextLength", contextLength),
        ] where value < 1 {
            throw .invalidConfiguration(name: name, value: value)
        }
        guard !groupWindows.isEmpty else { throw .invalidConfiguration(name: "groupWindows", value: 0) }
        if let window = groupWindows.compactMap({ $0 }).first(where: { $0 < 1 }) {
            throw .invalidConfiguration(name: "groupWindows", value: window)
        }
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.maxBatchTokens = maxBatchTokens
        self.maxRunning = maxRunning
        self.maxWaiting = maxWaiting
        self.contextLength = contextLength
        self.groupWindows = groupWindows
    }
}
