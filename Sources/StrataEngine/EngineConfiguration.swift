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

    /// The default KV budget: 1 GiB, less when a smaller pool holds `maxRunning` full contexts.
    public static let defaultKVCacheMegabytes = 1024

    /// A configuration; the defaults suit a small model on a small machine.
    public init(
        kvCacheMegabytes: Int? = nil, blockSize: Int = 16, maxBatchTokens: Int = 512, maxRunning: Int = 32,
        maxWaiting: Int = 1024, contextLength: Int? = nil, threads: Int = 2
    ) {
        self.kvCacheMegabytes = kvCacheMegabytes
        self.blockSize = blockSize
        self.maxBatchTokens = maxBatchTokens
        self.maxRunning = maxRunning
        self.maxWaiting = maxWaiting
        self.contextLength = contextLength
        self.threads = threads
    }

    /// The limits resolved for `shape`: context length and KV block count.
    func resolved(for shape: ModelShape, layerCount: Int) throws(EngineError) -> (contextLength: Int, blockCount: Int) {
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
        let bytesPerBlock = KVCache.bytesPerBlock(blockSize: blockSize, layerCount: layerCount, kvWidth: shape.kvWidth)
        let budgetBlocks = megabytes * 1_048_576 / bytesPerBlock
        let blocksPerContext = (context + blockSize - 1) / blockSize
        // An explicit budget is used as given; the default never exceeds what maxRunning full contexts need.
        let blocks = kvCacheMegabytes == nil ? min(budgetBlocks, blocksPerContext * maxRunning) : budgetBlocks
        guard blocks >= 1 else {
            throw .invalidConfiguration("--kv-cache-mb \(megabytes) holds no KV block of \(bytesPerBlock) bytes")
        }
        return (context, min(blocks, Int(Int32.max)))
    }

    /// The scheduler limits for `contextLength` and a pool of `blockCount` blocks.
    public func schedulerConfig(contextLength: Int, blockCount: Int) throws(EngineError) -> SchedulerConfig {
        do {
            return try SchedulerConfig(
                blockCount: blockCount, blockSize: blockSize, maxBatchTokens: maxBatchTokens,
                maxRunning: maxRunning, maxWaiting: maxWaiting, contextLength: contextLength)
        } catch {
            throw .invalidConfiguration("\(error)")
        }
    }
}
