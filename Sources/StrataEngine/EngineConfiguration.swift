import StrataModels
import StrataScheduling

/// Sizes and limits of an `InferenceEngine`.
public struct EngineConfiguration: Sendable, Equatable {
    /// KV cache budget in MiB (`--kv-cache-mb`); nil picks `defaultKVCacheMegabytes`.
    public var kvCacheMegabytes: Int?
    /// Token slots per KV block.
    public var blockSize: Int
    /// Most tokens (prefill chunks plus decode tokens) per engine step (`--max-batch-tokens`).
    public var maxBatchTokens: Int
    /// Most sequences running at once (`--max-running`).
    public var maxRunning: Int
    /// Most requests waiting for admission; more are refused (`EngineError.queueFull`).
    public var maxWaiting: Int
    /// Context length (`--ctx-size`); nil uses the model's trained context length.
    public var contextLength: Int?
    /// Threads of the forward pass.
    public var threads: Int
    /// Whether sliding-window layers get block tables of their own and give back the blocks
    /// that fall wholly behind a sequence's window (`--no-kv-window-release` turns it off: one
    /// table for every layer, as for models without sliding windows).
    public var releasesSlidingWindowBlocks: Bool

    /// The default KV budget: 1 GiB, less when a smaller pool holds `maxRunning` full contexts.
    public static let defaultKVCacheMegabytes = 1024

    /// A configuration; the defaults suit a small model on a small machine.
    public init(
        kvCacheMegabytes: Int? = nil, blockSize: Int = 16, maxBatchTokens: Int = 512, maxRunning: Int = 32,
        maxWaiting: Int = 1024, contextLength: Int? = nil, threads: Int = 2, releasesSlidingWindowBlocks: Bool = true
    ) {
        self.kvCacheMegabytes = kvCacheMegabytes
        self.blockSize = blockSize
        self.maxBatchTokens = maxBatchTokens
        self.maxRunning = maxRunning
        self.maxWaiting = maxWaiting
        self.contextLength = contextLength
        self.threads = threads
        self.releasesSlidingWindowBlocks = releasesSlidingWindowBlocks
    }

    /// The limits resolved for `shape` and a KV cache laid out as `layout`: context length and
    /// KV block count (each block holding `layout.slotsPerBlock` layers).
    func resolved(for shape: ModelShape, layout: KVCacheLayout) throws(EngineError) -> (contextLength: Int, blockCount: Int) {
        for (name, value) in [
            ("blockSize", blockSize), ("maxBatchTokens", maxBatchTokens), ("maxRunning", maxRunning),
            ("maxWaiting", maxWaiting), ("threads", threads),
        ] where value < 1 {
            throw .invalidConfiguration("\(name) must be at least 1, got \(value)")
        }
        let context = contextLength ?? shape.contextLength
        guard context >= 1, context <= shape.contextLength else {
            throw .invalidConfiguration("the context length must be between 1 and the model's \(shape.contextLength), got \(context)")
        }
        let megabytes = kvCacheMegabytes ?? Self.defaultKVCacheMegabytes
        guard megabytes >= 1 else { throw .invalidConfiguration("--kv-cache-mb must be at least 1, got \(megabytes)") }
        let bytesPerBlock = KVCache.bytesPerBlock(blockSize: blockSize, layerCount: layout.slotsPerBlock, kvWidth: shape.kvWidth)
        let budgetBlocks = megabytes * 1_048_576 / bytesPerBlock
        let blocksPerContext = BlockManager.blocksRequired(
            tokens: context, maxChunk: maxBatchTokens, blockSize: blockSize, groupWindows: layout.groupWindows)
        // An explicit budget is used as given; the default never exceeds what maxRunning full contexts need.
        let blocks = kvCacheMegabytes == nil ? min(budgetBlocks, blocksPerContext * maxRunning) : budgetBlocks
        guard blocks >= 1 else {
            throw .invalidConfiguration("--kv-cache-mb \(megabytes) holds no KV block of \(bytesPerBlock) bytes")
        }
        return (context, min(blocks, Int(Int32.max)))
    }

    /// The scheduler limits for `contextLength` and a pool of `blockCount` blocks shared by KV
    /// groups with `groupWindows` (default: one table for every layer).
    public func schedulerConfig(contextLength: Int, blockCount: Int, groupWindows: [Int?] = [nil]) throws(EngineError) -> SchedulerConfig {
        do {
            return try SchedulerConfig(
                blockCount: blockCount, blockSize: blockSize, maxBatchTokens: maxBatchTokens,
                maxRunning: maxRunning, maxWaiting: maxWaiting, contextLength: contextLength, groupWindows: groupWindows)
        } catch {
            throw .invalidConfiguration("\(error)")
        }
    }
}
