/// A snapshot of the engine's load and cache, for `/metrics` and `/ready`.
public struct EngineStatistics: Sendable, Equatable {
    /// Requests admitted and running (prefilling or decoding).
    public var runningRequests = 0
    /// Requests queued for admission, including ones not yet seen by the scheduler.
    public var waitingRequests = 0
    /// KV blocks in the pool.
    public var totalBlocks = 0
    /// KV blocks owned by running requests.
    public var usedBlocks = 0
    /// Prompt tokens of admitted requests (prefix-cache queries), since start.
    public var prefixCacheQueriedTokens = 0
    /// Of those, tokens found in the prefix cache.
    public var prefixCacheHitTokens = 0
    /// Block-table entries that sliding-window layers gave back because they fell wholly behind
    /// their sequence's window, since start.
    public var windowReleasedBlocks = 0
    /// Preemptions since start.
    public var preemptions = 0
    /// Engine steps run since start.
    public var steps = 0

    /// Fraction of KV blocks in use, 0...1.
    public var kvCacheUsage: Double { totalBlocks == 0 ? 0 : Double(usedBlocks) / Double(totalBlocks) }

    /// Fraction of queried prompt tokens found in the prefix cache, 0...1.
    public var prefixCacheHitRate: Double {
        prefixCacheQueriedTokens == 0 ? 0 : Double(prefixCacheHitTokens) / Double(prefixCacheQueriedTokens)
    }
}
