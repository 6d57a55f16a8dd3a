import StrataGGUF
import StrataKernels

/// The decoder that `llama` and `qwen2` share, held by composition: token embedding, pre-norm
/// blocks of grouped-query attention (optional Q/K/V/O biases, RoPE) and a SiLU-gated
/// feed-forward, then the final RMS norm and an output head of its own or tied to the
/// embedding. The architecture files decide what differs (hyperparameter defaults, RoPE style
/// and frequency factors, which biases are required).
struct SwiGLUDecoder: Sendable {
    /// Which attention biases a file must, may or must not carry.
    enum Biases {
        /// Q, K and V biases are required (Qwen2); there is no output bias.
        case queryKeyValue
        /// Q, K, V and output biases are each used when present (Llama).
        case optional
    }

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

    let shape: ModelShape
    let layers: LayerRange
    private let normEpsilon: Float
    private let tokenEmbedding: WeightMatrix  // [vocab, width]
    private let output: WeightMatrix          // [vocab, width]: `output.weight`, else the embedding
    private let outputNorm: [Float]           // [width]
    private let stageLayers: [Layer]
    private let rope: RoPE
    private let attention: PagedAttention

    /// Loads the tensors of `layers` through `loader`.
    init(loader: TensorLoader, shape s: ModelShape, layers: LayerRange, normEpsilon: Float, rope: RoPE,
         attentionScale: Float, biases: Biases) throws(ModelError) {
        shape = s
        self.layers = layers
        self.normEpsilon = normEpsilon
        self.rope = rope
        tokenEmbedding = try loader.matrix("token_embd.weight", rows: s.vocabularySize, columns: s.embeddingWidth)
        output = loader.contains("output.weight")
            ? try loader.matrix("output.weight", rows: s.vocabularySize, columns: s.embeddingWidth)
            : tokenEmbedding
        outputNorm = try loader.vector("output_norm.weight", count: s.embeddingWidth)
        var loaded: [Layer] = []
        for index in layers.indices {
            loaded.append(try Self.loadLayer(index, loader: loader, shape: s, biases: biases))
        }
        stageLayers = loaded
        attention = PagedAttention(heads: s.heads, kvHeads: s.kvHeads, headSize: s.headSize,
                                   queryScale: 1, scoreScale: attentionScale, window: nil)
    }

    private static func loadLayer(_ index: Int, loader: TensorLoader, shape s: ModelShape, biases: Biases) throws(ModelError) -> Layer {
        let p = "blk.\(index)."
        func bias(_ name: String, count: Int) throws(ModelError) -> [Float]? {
            switch biases {
            case .queryKeyValue: try loader.vector(p + name, count: count)
            case .optional: try loader.optionalVector(p + name, count: count)
            }
        }
        return Layer(
            attentionNorm: try loader.vector(p + "attn_norm.weight", count: s.embeddingWidth),
            query: try loader.matrix(p + "attn_q.weight", rows: s.queryWidth, columns: s.embeddingWidth),
            key: try loader.matrix(p + "attn_k.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            value: try loader.matrix(p + "attn_v.weight", rows: s.kvWidth, columns: s.embeddingWidth),
            queryBias: try bias("attn_q.bias", count: s.queryWidth),
            keyBias: try bias("attn_k.bias", count: s.kvWidth),
            valueBias: try bias("attn_v.bias", count: s.kvWidth),
            attentionOutput: try loader.matrix(p + "attn_output.weight", rows: s.embeddingWidth, columns: s.queryWidth),
            outputBias: biases == .optional
                ? try loader.optionalVector(p + "attn_output.bias", count: s.embeddingWidth) : nil,
            feedForwardNorm: try loader.vector(p + "ffn_norm.weight", count: s.embeddingWidth),
            gate: try loader.matrix(p + "ffn_gate.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            up: try loader.matrix(p + "ffn_up.weight", rows: s.feedForwardWidth, columns: s.embeddingWidth),
            down: try loader.matrix(p + "ffn_down.weight", rows: s.embeddingWidth, columns: s.feedForwardWidth)
        )
    }

    /// `LanguageModel.forward` for the held layers.
    func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache) {
        let rows = batch.count
        precondition(rows <= state.maxTokens, "batch larger than the forward state")
        precondition(batch.groupCount == cache.layout.groupCount, "block tables for another KV layout")
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

        // Attention block.
        for row in 0 ..< rows {
            RMSNorm.apply(state.hidden + row * width, weight: layer.attentionNorm, epsilon: normEpsilon,
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
            RMSNorm.apply(state.hidden + row * width, weight: layer.feedForwardNorm, epsilon: normEpsilon,
                          count: width, into: state.normed + row * width)
        }
        state.project(layer.gate, state.normed, rows: rows, into: state.gate)
        state.project(layer.up, state.normed, rows: rows, into: state.up)
        SwiGLU.gated(state.gate, up: state.up, count: rows * s.feedForwardWidth)
        state.project(layer.down, state.gate, rows: rows, into: state.normed)
        VectorOps.add(state.hidden, state.normed, rows * width)
    }

    /// `LanguageModel.logits` (last stage only).
    func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>) {
        precondition(layers.isLastStage, "logits requested from a stage without the output head")
        let width = shape.embeddingWidth
        for (index, row) in rows.enumerated() {
            RMSNorm.apply(state.hidden + row * width, weight: outputNorm, epsilon: normEpsilon,
                          count: width, into: state.normed + index * width)
        }
        state.project(output, state.normed, rows: rows.count, into: logits)
    }
}
