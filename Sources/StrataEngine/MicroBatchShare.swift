import StrataScheduling

/// One micro-batch's share of an engine's KV pool and limits: its scheduler's configuration and
/// where its block ids start in the pool.
///
/// An executor that runs several steps at once (a pipeline of stages) gets one scheduler per
/// micro-batch, as vLLM's virtual engines: each owns a disjoint range of block ids and its own
/// sequences, so a step can be scheduled while the others are still in flight.
struct MicroBatchShare: Equatable {
    /// The share's scheduler limits; `blockCount` is its range's length.
    let config: SchedulerConfig
    /// The pool's first block id in this share.
    let blockOffset: Int32

    /// `config`'s pool and running limit split into `count` shares (fewer when the pool has
    /// fewer blocks): consecutive block ranges, the first ones one block longer when the pool
    /// does not divide evenly; each share runs at most `maxRunning / count` sequences, rounded up.
    static func split(_ config: SchedulerConfig, into count: Int) -> [MicroBatchShare] {
        let count = max(1, min(count, config.blockCount))
        guard count > 1 else { return [MicroBatchShare(config: config, blockOffset: 0)] }
        let base = config.blockCount / count, extra = config.blockCount % count
        let running = (config.maxRunning + count - 1) / count
        var shares: [MicroBatchShare] = []
        var offset = 0
        for index in 0 ..< count {
            let blocks = base + (index < extra ? 1 : 0)
            // Every limit stays positive, so the configuration cannot be refused.
            guard let share = try? SchedulerConfig(
                blockCount: blocks, blockSize: config.blockSize, maxBatchTokens: config.maxBatchTokens,
                maxRunning: running, maxWaiting: config.maxWaiting, contextLength: config.contextLength,
                groupWindows: config.groupWindows)
            else { preconditionFailure("a share of a valid scheduler configuration is valid") }
            shares.append(MicroBatchShare(config: share, blockOffset: Int32(offset)))
            offset += blocks
        }
        return shares
    }
}
