import StrataGGUF
import StrataKernels

/// Llama hyperparameters, decoded from `llama.*` GGUF metadata (Llama 1–3, Mistral and other
/// GGUFs that llama.cpp runs as `llama`).
public struct LlamaConfig: Sendable, Equatable {
    /// Sizes of the whole model.
    public let shape: ModelShape
    /// RMS norm epsilon (`attention.layer_norm_rms_epsilon`).
    public let normEpsilon: Float
    /// Leading dimensions of each head that RoPE rotates (`rope.dimension_count`, default the head size).
    public let ropeDimensions: Int
    /// RoPE base (`rope.freq_base`, default 10,000).
    public let ropeBase: Float
    /// Position scale of RoPE (1 / linear scaling factor).
    public let ropePositionScale: Float
    /// Multiplier applied to q·k: 1/√(head size).
    public let attentionScale: Float

    init(metadata: GGUFMetadata, vocabularySize: Int) throws(ModelError) {
        let hp = Hyperparameters(metadata: metadata, architecture: "llama")
        shape = try hp.attentionShape(vocabularySize: vocabularySize)
        normEpsilon = try hp.float("attention.layer_norm_rms_epsilon", default: 1e-5)
        ropeDimensions = try hp.ropeDimensions(headSize: shape.headSize)
        ropeBase = try hp.float("rope.freq_base", default: 10_000)
        ropePositionScale = try hp.ropePositionScale()
        attentionScale = 1 / Float(shape.headSize).squareRoot()
    }
}

/// Llama: pre-norm blocks of grouped-query attention with interleaved-pair ("normal") RoPE and a
/// SiLU-gated feed-forward, optional Q/K/V/O biases and RoPE frequency factors, and an output
/// head of its own or tied to the token embedding.
public final class LlamaModel: LanguageModel {
    public let architecture = "llama"
    public let config: LlamaConfig
    public let layers: LayerRange
    public var shape: ModelShape { config.shape }

    private struct Layer: Sendable {
        let attentionNorm: [Float]         // [width]
        let query: WeightMatrix            // [heads·headSize, width]
        let key: WeightMatrix              // [kvHeads·headSize, width]
        let value: WeightMatrix            // [kvHeads·headSize, width]
        let queryBias: [Float]?            // [heads·headSize]
        let keyBias: [Float]?              // [kvHeads·headSize]
        let valueBias: [Float]?            // [kvHeads·headSize]
        let attentionOutput: WeightMatrix  // [width, heads·headSize]
        let outputBias: [Float]?           // [width]
        let feedForwardNorm: [Float]       // [width]
        let gate: WeightMatrix             // [ffn, width]
        let up: WeightMatrix               // [ffn, width]
        let down: WeightMatrix             // [width, ffn]
    }

    private let file: GGUFFile                // keeps the mapped weights alive
    private let tokenEmbedding: WeightMatrix  // [vocab, width]
    private let output: WeightMatrix          // [vocab, width]: `output.weight`, else the embedding
    private let outputNorm: [Float]           // [width]
    private let stageLayers: [Layer]
    private let rope: RoPE
    private let attention: PagedAttention

    /// Loads the tensors of `layers` (all layers when nil) from `file`.
    public init(file: GGUFFile, layers requested: LayerRange? = nil) throws(ModelError) {
        self.file = file
        let loader = TensorLoader(file: file)
        config = try LlamaConfig(metadata: file.metadata, vocabularySize: try loader.vocabularySize())
        let s = config.shape
        layers = try LayerRange.resolve(requested, layerCount: s.layerCount)
        tokenEmbedding = try loader.matrix("token_embd.weight", rows: s.vocabularySize, columns: s.embeddingWidth)
        output = loader.contains("output.weight")
            ? try loader.matrix("output.weight", rows: s.vocabularySize, columns: s.embeddingWidth)
            : tokenEmbedding
        outputNorm = try loader.vector("output_norm.weight", count: s.embeddingWidth)
        var loaded: [Layer] = []
        for index in layers.indices {
            loaded.append(try Self.loadLayer(index, loader: loader, shape: s))
        }
        stageLayers = loaded
        let factors = loader.contains("rope_freqs.weight")
            ? try loader.vector("rope_freqs.weight", count: config.ropeDimensions / 2) : nil
        rope = RoPE(style: .interleaved, dimensions: config.ropeDimensions, base: config.ropeBase,
                    positionScale: config.ropePositionScale, frequencyFactors: factors)
        attention = PagedAttention(heads: s.heads, kvHeads: s.kvHeads, headSize: s.headSize,
                                   queryScale: 1, scoreScale: config.attentionScale, window: nil)
    }

    private static func loadLayer(_ index: Int, loader: TensorLoader, shape s: ModelShape) throws(ModelError) -> Layer {
        let p = "blk.\(index)."
        return Layer(
            attentionNorm: try loader.vector(p + "attn_norm.weight", count: s.embeddingWidth),
            query: try loader.matrix(p + "attn_q.weight", rows: s.queryWidth, columns: s.embeddingWidth),
            key: try loader.matrix(p + "attn_k.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            value: try loader.matrix(p + "attn_v.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            queryBias: try loader.optionalVector(p + "attn_q.bias", count: s.queryWidth),
            keyBias: try loader.optionalVector(p + "attn_k.bias", count: s.kvWidth),
            valueBias: try loader.optionalVector(p + "attn_v.bias", count: s.kvWidth),
            attentionOutput: try loader.matrix(p + "attn_output.weight", rows: s.embeddingWidth, columns: s.queryWidth),
            outputBias: try loader.optionalVector(p + "attn_output.bias", count: s.embeddingWidth),
            feedForwardNorm: try loader.vector(p + "ffn_norm.weight", count: s.embeddingWidth),
            gate: try loader.matrix(p + "ffn_gate.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            up: try loader.matrix(p + "ffn_up.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            down: try loader.matrix(p + "ffn_down.weight", rows: s.embeddingWidth, columns: s.feedForwardWidth)
        )
    }

    public func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache) {
        let rows = batch.count
        precondition(rows <= state.maxTokens, "batch larger than the forward state")
        state.batch.load(batch)
        let width = shape.embeddingWidth
        if layers.isFirstStage {
            for row in 0 ..< rows {
                dequantizeRow(tokenEmbedding, row: Int(batch.tokens[row]), into: state.hidden + row * width)
            }
        }
        for row in 0 ..< rows {
            rope.angles(position: state.batch.position(row: row), into: state.ropeAngles(table: 0, row: row, headSize: shape.headSize))
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
        if let bias = layer.queryBias { VectorOps.addBias(state.queries, rows: rows, width: s.queryWidth, bias: bias) }
        if let bias = layer.keyBias { VectorOps.addBias(state.keys, rows: rows, width: s.kvWidth, bias: bias) }
        if let bias = layer.valueBias { VectorOps.addBias(state.values, rows: rows, width: s.kvWidth, bias: bias) }
        for row in 0 ..< rows {
            let angles = state.ropeAngles(table: 0, row: row, headSize: s.headSize)
            rope.rotate(state.queries + row * s.queryWidth, heads: s.heads, headSize: s.headSize, cosSin: angles)
            rope.rotate(state.keys + row * s.kvWidth, heads: s.kvHeads, headSize: s.headSize, cosSin: angles)
        }
        attention.store(keys: state.keys, values: state.values, batch: state.batch, layer: local, cache: cache)
        attention.attend(
            queries: state.queries, batch: state.batch, layer: local, cache: cache,
            output: state.attention, scratch: state.attentionScratch, pool: state.pool
        )
        state.project(layer.attentionOutput, state.attention, rows: rows, into: state.normed)
        if let bias = layer.outputBias { VectorOps.addBias(state.normed, rows: rows, width: width, bias: bias) }
        VectorOps.add(state.hidden, state.normed, rows * width)

        // Feed-forward block.
        for row in 0 ..< rows {
            RMSNorm.apply(state.hidden + row * width, weight: layer.feedForwardNorm, epsilon: epsilon,
                          count: width, into: state.normed + row * width)
        }
        state.project(layer.gate, state.normed, rows: rows, into: state.gate)
        state.project(layer.up, state.normed, rows: rows, into: state.up)
        SwiGLU.gated(state.gate, up: state.up, count: rows * s.feedForwardWidth)
        state.project(layer.down, state.gate, rows: rows, into: state.normed)
        VectorOps.add(state.hidden, state.normed, rows * width)
    }

    public func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>) {
        precondition(layers.isLastStage, "logits requested from a stage without the output head")
        let width = shape.embeddingWidth
        for (index, row) in rows.enumerated() {
            RMSNorm.apply(state.hidden + row * width, weight: outputNorm, epsilon: config.normEpsilon,
                          count: width, into: state.normed + index * width)
        }
        state.project(output, state.normed, rows: rows.count, into: logits)
    }
}
