import StrataGGUF
import StrataKernels

/// Qwen2 hyperparameters, decoded from `qwen2.*` GGUF metadata (Qwen 1.5, Qwen2, Qwen2.5).
public struct Qwen2Config: Sendable, Equatable {
    /// Sizes of the whole model.
    public let shape: ModelShape
    /// RMS norm epsilon (`attention.layer_norm_rms_epsilon`).
    public let normEpsilon: Float
    /// Leading dimensions of each head that RoPE rotates (`rope.dimension_count`, default the head size).
    public let ropeDimensions: Int
    /// RoPE base (`rope.freq_base`, default 1,000,000).
    public let ropeBase: Float
    /// Position scale of RoPE (1 / linear scaling factor).
    public let ropePositionScale: Float
    /// Multiplier applied to q·k: 1/√(head size).
    public let attentionScale: Float

    init(metadata: GGUFMetadata, vocabularySize: Int) throws(ModelError) {
        let hp = Hyperparameters(metadata: metadata, architecture: "qwen2")
        shape = try hp.attentionShape(vocabularySize: vocabularySize)
        normEpsilon = try hp.float("attention.layer_norm_rms_epsilon", default: 1e-6)
        ropeDimensions = try hp.ropeDimensions(headSize: shape.headSize)
        ropeBase = try hp.float("rope.freq_base", default: 1_000_000)
        ropePositionScale = try hp.ropePositionScale()
        attentionScale = 1 / Float(shape.headSize).squareRoot()
    }
}

/// Qwen2: pre-norm blocks of grouped-query attention with Q/K/V biases and NEOX-style (split-half)
/// RoPE, a SiLU-gated feed-forward, and an output head tied to the token embedding unless the
/// file has `output.weight`.
public final class Qwen2Model: LanguageModel {
    public let architecture = "qwen2"
    public let config: Qwen2Config
    public let layers: LayerRange
    public var shape: ModelShape { config.shape }

    private let file: GGUFFile  // keeps the mapped weights alive
    private let decoder: SwiGLUDecoder

    /// Loads the tensors of `layers` (all layers when nil) from `file`.
    public init(file: GGUFFile, layers requested: LayerRange? = nil) throws(ModelError) {
        self.file = file
        let loader = TensorLoader(file: file)
        config = try Qwen2Config(metadata: file.metadata, vocabularySize: try loader.vocabularySize())
        layers = try LayerRange.resolve(requested, layerCount: config.shape.layerCount)
        let rope = RoPE(style: .neox, dimensions: config.ropeDimensions, base: config.ropeBase,
                        positionScale: config.ropePositionScale)
        decoder = try SwiGLUDecoder(
            loader: loader, shape: config.shape, layers: layers, normEpsilon: config.normEpsilon, rope: rope,
            attentionScale: config.attentionScale, biases: .queryKeyValue)
    }

    public func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache) {
        decoder.forward(batch, state: state, cache: cache)
    }

    public func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>) {
        decoder.logits(rows: rows, state: state, into: logits)
    }
}
