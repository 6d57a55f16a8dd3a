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

    private let file: GGUFFile  // keeps the mapped weights alive
    private let decoder: SwiGLUDecoder

    /// Loads the tensors of `layers` (all layers when nil) from `file`.
    public init(file: GGUFFile, layers requested: LayerRange? = nil) throws(ModelError) {
        self.file = file
        let loader = TensorLoader(file: file)
        config = try LlamaConfig(metadata: file.metadata, vocabularySize: try loader.vocabularySize())
        layers = try LayerRange.resolve(requested, layerCount: config.shape.layerCount)
        let factors = loader.contains("rope_freqs.weight")
            ? try loader.vector("rope_freqs.weight", count: config.ropeDimensions / 2) : nil
        let rope = RoPE(style: .interleaved, dimensions: config.ropeDimensions, base: config.ropeBase,
                        positionScale: config.ropePositionScale, frequencyFactors: factors)
        decoder = try SwiGLUDecoder(
            loader: loader, shape: config.shape, layers: layers, normEpsilon: config.normEpsilon, rope: rope,
            attentionScale: config.attentionScale, biases: .optional)
    }

    public func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache) {
        decoder.forward(batch, state: state, cache: cache)
    }

    public func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>) {
        decoder.logits(rows: rows, state: state, into: logits)
    }
}
