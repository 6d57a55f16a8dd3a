import StrataGGUF
import StrataKernels

/// Gemma 3 hyperparameters, decoded from `gemma3.*` GGUF metadata.
public struct Gemma3Config: Sendable, Equatable {
    public let shape: ModelShape
    /// RMS norm epsilon.
    public let normEpsilon: Float
    /// RoPE base of global-attention layers.
    public let globalRopeBase: Float
    /// RoPE base of sliding-window layers (not in the metadata; 10,000 for every Gemma 3).
    public let localRopeBase: Float
    /// Position scale of global layers' RoPE (1 / linear scaling factor).
    public let globalRopeScale: Float
    /// Sliding window of local layers, in positions.
    public let slidingWindow: Int
    /// Every `globalLayerPeriod`-th layer attends globally; the others use the sliding window.
    public let globalLayerPeriod: Int
    /// Multiplier applied to q·k.
    public let attentionScale: Float

    init(metadata: GGUFMetadata, vocabularySize: Int) throws(ModelError) {
        let hp = Hyperparameters(metadata: metadata, architecture: "gemma3")
        let width = try hp.integer("embedding_length")
        let heads = try hp.integer("attention.head_count")
        let headSize = try hp.integer("attention.key_length", default: width / heads)
        let layerCount = try hp.integer("block_count")
        shape = ModelShape(
            embeddingWidth: width, layerCount: layerCount, heads: heads,
            kvHeads: try hp.integer("attention.head_count_kv", default: heads), headSize: headSize,
            feedForwardWidth: try hp.integer("feed_forward_length"), vocabularySize: vocabularySize,
            contextLength: try hp.integer("context_length", default: 131_072)
        )
        guard heads % shape.kvHeads == 0 else {
            throw .invalidHyperparameter(key: "gemma3.attention.head_count_kv", reason: "\(shape.kvHeads) does not divide \(heads) heads")
        }
        guard try hp.integer("attention.value_length", default: headSize) == headSize else {
            throw .invalidHyperparameter(key: "gemma3.attention.value_length", reason: "must equal key_length")
        }
        normEpsilon = try hp.float("attention.layer_norm_rms_epsilon", default: 1e-6)
        globalRopeBase = try hp.float("rope.freq_base", default: 1_000_000)
        localRopeBase = 10_000
        let scaling = try hp.string("rope.scaling.type")
        let factor = try hp.float("rope.scaling.factor", default: 1)
        globalRopeScale = (scaling == "linear" && factor > 0) ? 1 / factor : 1
        slidingWindow = try hp.integer("attention.sliding_window", default: 512)
        guard slidingWindow >= 1 else {
            throw .invalidHyperparameter(key: "gemma3.attention.sliding_window", reason: "\(slidingWindow) is not a positive window")
        }
        globalLayerPeriod = 6
        // Gemma 3 27B scales queries by 1/sqrt(width / heads); every other size by 1/sqrt(head size).
        let scaleBase = layerCount == 62 ? width / heads : headSize
        attentionScale = 1 / Float(scaleBase).squareRoot()
    }

    /// Whether `layer` attends over the whole context (the others use the sliding window).
    public func isGlobal(layer: Int) -> Bool { layer % globalLayerPeriod == globalLayerPeriod - 1 }
}

/// Gemma 3: sliding-window and global attention layers with QK-norm, pre- and post-norms around
/// attention and the GELU-gated feed-forward, embeddings scaled by √width, output tied to the embedding.
public final class Gemma3Model: LanguageModel {
    public let architecture = "gemma3"
    public let config: Gemma3Config
    public let layers: LayerRange
    public var shape: ModelShape { config.shape }
    public var layerWindows: [Int?] {
        (0 ..< shape.layerCount).map { config.isGlobal(layer: $0) ? nil : config.slidingWindow }
    }

    private struct Layer: Sendable {
        let attentionNorm: [Float]         // [width]
        let query: WeightMatrix            // [heads·headSize, width]
        let key: WeightMatrix              // [kvHeads·headSize, width]
        let value: WeightMatrix            // [kvHeads·headSize, width]
        let queryNorm: [Float]             // [headSize]
        let keyNorm: [Float]               // [headSize]
        let attentionOutput: WeightMatrix  // [width, heads·headSize]
        let postAttentionNorm: [Float]     // [width]
        let feedForwardNorm: [Float]       // [width]
        let gate: WeightMatrix             // [ffn, width]
        let up: WeightMatrix               // [ffn, width]
        let down: WeightMatrix             // [width, ffn]
        let postFeedForwardNorm: [Float]   // [width]
        let attention: PagedAttention
        /// Which of the model's two RoPE tables the layer uses: 0 sliding-window, 1 global.
        let ropeTable: Int
    }

    private let file: GGUFFile                // keeps the mapped weights alive
    private let tokenEmbedding: WeightMatrix  // [vocab, width]; also the output head
    private let outputNorm: [Float]           // [width]
    private let stageLayers: [Layer]
    private let ropes: [RoPE]                 // [sliding-window, global]
    private let gelu = HalfPrecisionGELU()

    /// Loads the tensors of `layers` (all layers when nil) from `file`.
    public init(file: GGUFFile, layers requested: LayerRange? = nil) throws(ModelError) {
        self.file = file
        let loader = TensorLoader(file: file)
        guard let embedding = file.tensor(named: "token_embd.weight"), embedding.dimensions.count == 2 else {
            throw .missingTensor("token_embd.weight")
        }
        config = try Gemma3Config(metadata: file.metadata, vocabularySize: embedding.dimensions[1])
        let shape = config.shape
        if let requested {
            layers = requested
        } else {
            layers = try LayerRange.all(shape.layerCount)
        }
        guard layers.layerCount == shape.layerCount else {
            throw .invalidLayerRange(first: layers.first, last: layers.last, layerCount: shape.layerCount)
        }
        tokenEmbedding = try loader.matrix("token_embd.weight", rows: shape.vocabularySize, columns: shape.embeddingWidth)
        outputNorm = try loader.vector("output_norm.weight", count: shape.embeddingWidth)
        var loaded: [Layer] = []
        for index in layers.indices {
            loaded.append(try Self.loadLayer(index, loader: loader, config: config))
        }
        stageLayers = loaded
        let s = config.shape
        ropes = [
            RoPE(style: .neox, dimensions: s.headSize, base: config.localRopeBase),
            RoPE(style: .neox, dimensions: s.headSize, base: config.globalRopeBase, positionScale: config.globalRopeScale),
        ]
    }

    private static func loadLayer(_ index: Int, loader: TensorLoader, config: Gemma3Config) throws(ModelError) -> Layer {
        let s = config.shape
        let p = "blk.\(index)."
        let global = config.isGlobal(layer: index)
        return Layer(
            attentionNorm: try loader.vector(p + "attn_norm.weight", count: s.embeddingWidth),
            query: try loader.matrix(p + "attn_q.weight", rows: s.queryWidth, columns: s.embeddingWidth),
            key: try loader.matrix(p + "attn_k.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            value: try loader.matrix(p + "attn_v.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            queryNorm: try loader.vector(p + "attn_q_norm.weight", count: s.headSize),
            keyNorm: try loader.vector(p + "attn_k_norm.weight", count: s.headSize),
            attentionOutput: try loader.matrix(p + "attn_output.weight", rows: s.embeddingWidth, columns: s.queryWidth),
            postAttentionNorm: try loader.vector(p + "post_attention_norm.weight", count: s.embeddingWidth),
            feedForwardNorm: try loader.vector(p + "ffn_norm.weight", count: s.embeddingWidth),
            gate: try loader.matrix(p + "ffn_gate.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            up: try loader.matrix(p + "ffn_up.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            down: try loader.matrix(p + "ffn_down.weight", rows: s.embeddingWidth, columns: s.feedForwardWidth),
            postFeedForwardNorm: try loader.vector(p + "post_ffw_norm.weight", count: s.embeddingWidth),
            attention: PagedAttention(
                heads: s.heads, kvHeads: s.kvHeads, headSize: s.headSize,
                queryScale: config.attentionScale, scoreScale: 1,
                window: global ? nil : config.slidingWindow
            ),
            ropeTable: global ? 1 : 0
        )
    }

    public func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache) {
        let rows = batch.count
        precondition(rows <= state.maxTokens, "batch larger than the forward state")
        precondition(batch.groupCount == cache.layout.groupCount, "block tables for another KV layout")
        state.batch.load(batch)
        let width = shape.embeddingWidth
        if layers.isFirstStage {
            let scale = Float(width).squareRoot()
            for row in 0 ..< rows {
                let out = state.hidden + row * width
                dequantizeRow(tokenEmbedding, row: Int(batch.tokens[row]), into: out)
                VectorOps.scale(out, scale, width)
            }
        }
        // Angles depend only on position and RoPE kind: computed once per pass, not per layer.
        for row in 0 ..< rows {
            for (table, rope) in ropes.enumerated() {
                rope.angles(position: state.batch.position(row: row), into: state.ropeAngles(table: table, row: row, headSize: shape.headSize))
            }
        }
        for (local, layer) in stageLayers.enumerated() {
            runLayer(layer, local: local, rows: rows, state: state, cache: cache)
        }
    }

    private func runLayer(_ layer: Layer, local: Int, rows: Int, state: ForwardState, cache: KVCache) {
        let s = shape
        let width = s.embeddingWidth
        let epsilon = config.normEpsilon

        // Attention block.
        for row in 0 ..< rows {
            RMSNorm.apply(state.hidden + row * width, weight: layer.attentionNorm, epsilon: epsilon,
                          count: width, into: state.normed + row * width)
        }
        state.project(layer.query, state.normed, rows: rows, into: state.queries)
        state.project(layer.key, state.normed, rows: rows, into: state.keys)
        state.project(layer.value, state.normed, rows: rows, into: state.values)
        for row in 0 ..< rows {
            let angles = state.ropeAngles(table: layer.ropeTable, row: row, headSize: s.headSize)
            let rope = ropes[layer.ropeTable]
            let q = state.queries + row * s.queryWidth
            RMSNorm.applyRows(q, rows: s.heads, width: s.headSize, stride: s.headSize, weight: layer.queryNorm, epsilon: epsilon)
            rope.rotate(q, heads: s.heads, headSize: s.headSize, cosSin: angles)
            let k = state.keys + row * s.kvWidth
            RMSNorm.applyRows(k, rows: s.kvHeads, width: s.headSize, stride: s.headSize, weight: layer.keyNorm, epsilon: epsilon)
            rope.rotate(k, heads: s.kvHeads, headSize: s.headSize, cosSin: angles)
        }
        layer.attention.store(keys: state.keys, values: state.values, batch: state.batch, layer: local, cache: cache)
        layer.attention.attend(
            queries: state.queries, batch: state.batch, layer: local, cache: cache,
            output: state.attention, scratch: state.attentionScratch, pool: state.pool
        )
        state.project(layer.attentionOutput, state.attention, rows: rows, into: state.normed)
        for row in 0 ..< rows {
            let out = state.normed + row * width
            RMSNorm.apply(out, weight: layer.postAttentionNorm, epsilon: epsilon, count: width, into: out)
            VectorOps.add(state.hidden + row * width, out, width)
        }

        // Feed-forward block.
        for row in 0 ..< rows {
            RMSNorm.apply(state.hidden + row * width, weight: layer.feedForwardNorm, epsilon: epsilon,
                          count: width, into: state.normed + row * width)
        }
        state.project(layer.gate, state.normed, rows: rows, into: state.gate)
        state.project(layer.up, state.normed, rows: rows, into: state.up)
        gelu.gated(state.gate, up: state.up, count: rows * s.feedForwardWidth, halves: state.halves)
        state.project(layer.down, state.gate, rows: rows, into: state.normed)
        for row in 0 ..< rows {
            let out = state.normed + row * width
            RMSNorm.apply(out, weight: layer.postFeedForwardNorm, epsilon: epsilon, count: width, into: out)
            VectorOps.add(state.hidden + row * width, out, width)
        }
    }

    public func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>) {
        precondition(layers.isLastStage, "logits requested from a stage without the output head")
        let width = shape.embeddingWidth
        for (index, row) in rows.enumerated() {
            RMSNorm.apply(state.hidden + row * width, weight: outputNorm, epsilon: config.normEpsilon,
                          count: width, into: state.normed + index * width)
        }
        state.project(tokenEmbedding, state.normed, rows: rows.count, into: logits)
    }
}
