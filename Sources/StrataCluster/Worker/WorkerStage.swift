import Foundation
import StrataGGUF
import StrataModels

/// Loading a worker's stage: only its layers of the model, a KV pool for them, and the handshake
/// it answers with.
public enum WorkerStage {
    /// What a worker is asked to hold.
    public struct Options: Sendable {
        public var modelPath: String
        /// `[first, last)`; `last` may be nil for "to the end".
        public var firstLayer: Int
        public var lastLayer: Int?
        public var threads: Int
        /// KV budget for the held layers in MiB; nil: 1 GiB, or less when that holds `maxRunning` full contexts.
        public var kvCacheMegabytes: Int?
        public var blockSize = 16
        public var maxBatchTokens = 512
        public var maxRunning = 32
        /// Most positions per sequence; nil: the model's trained context length.
        public var contextLength: Int?

        public init(modelPath: String, firstLayer: Int, lastLayer: Int?, threads: Int) {
            self.modelPath = modelPath
            self.firstLayer = firstLayer
            self.lastLayer = lastLayer
            self.threads = threads
        }
    }

    /// Parses `A:B` (or `A:` for "to the last layer") into `(A, B)`.
    public static func parseLayers(_ text: String) throws(ClusterError) -> (first: Int, last: Int?) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = Int(parts[0]), first >= 0 else {
            throw .configuration("--layers '\(text)' is not A:B")
        }
        if parts[1].isEmpty { return (first, nil) }
        guard let last = Int(parts[1]), last > first else { throw .configuration("--layers '\(text)' is not A:B with A < B") }
        return (first, last)
    }

    /// Loads the stage and computes its handshake (hashing the model file unless a `.sha256` is beside it).
    public static func load(_ options: Options) throws(ClusterError) -> (StageExecutor, Handshake) {
        let file: GGUFFile
        do { file = try GGUFFile(path: options.modelPath) } catch {
            throw .configuration("cannot open '\(options.modelPath)': \(error)")
        }
        let model: any LanguageModel
        do {
            let layerCount = try ArchitectureRegistry.layerCount(of: file)
            let layers = try LayerRange(first: options.firstLayer, last: options.lastLayer ?? layerCount, layerCount: layerCount)
            model = try ArchitectureRegistry.load(file, layers: layers)
        } catch {
            throw .configuration("cannot load layers of '\(options.modelPath)': \(error)")
        }
        let shape = model.shape
        let context = options.contextLength ?? shape.contextLength
        guard context >= 1, context <= shape.contextLength, options.blockSize >= 1, options.maxBatchTokens >= 1,
              options.maxRunning >= 1, options.threads >= 1
        else { throw .configuration("sizes must be at least 1 and the context at most the model's \(shape.contextLength)") }
        let bytesPerBlock = KVCache.bytesPerBlock(blockSize: options.blockSize, layerCount: model.layers.count, kvWidth: shape.kvWidth)
        let budget = (options.kvCacheMegabytes ?? 1024) * 1_048_576 / bytesPerBlock
        let perContext = (context + options.blockSize - 1) / options.blockSize
        let blocks = min(options.kvCacheMegabytes == nil ? min(budget, perContext * options.maxRunning) : budget, Int(Int32.max))
        guard blocks >= 1 else { throw .configuration("--kv-cache-mb holds no KV block of \(bytesPerBlock) bytes") }
        let configuration = StageConfiguration(
            blockCount: blocks, blockSize: options.blockSize, maxBatchTokens: options.maxBatchTokens,
            contextLength: context, maxRunning: options.maxRunning, threads: options.threads)
        let handshake = Handshake(
            modelDigest: try ModelDigest.of(path: options.modelPath), firstLayer: model.layers.first,
            lastLayer: model.layers.last, layerCount: model.layers.layerCount, blockCount: blocks,
            blockSize: options.blockSize, maxBatchTokens: options.maxBatchTokens, contextLength: context,
            maxRunning: options.maxRunning, embeddingWidth: shape.embeddingWidth, vocabularySize: shape.vocabularySize,
            instanceID: UInt64.random(in: 1 ... .max))
        return (StageExecutor(model: model, configuration: configuration), handshake)
    }
}
