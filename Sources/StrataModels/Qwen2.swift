import StrataGGUF
import StrataKernels

/// Qwen2: pre-norm blocks of grouped-query attention with Q/K/V biases and NEOX-style (split-half)
/// RoPE, a SiLU-gated feed-forward, and an output head tied to the token embedding unless the
/// file has `output.weight`.
public final class Qwen2Model: LanguageModel {
    public let architecture = "qwen2"
    /// Hyperparameters (Qwen 1.5, Qwen2, Qwen2.5); RMS norm epsilon 1e-6 and RoPE base 1,000,000
    /// unless the file says otherwise.
    public let config: SwiGLUDecoderConfig
    public let layers: LayerRange
    public var shape: ModelShape { config.shape }

    private let file: GGUFFile  // keeps the mapped weights alive
    private let decoder: SwiGLUDecoder

    /// Loads the tensors of `layers` (all layers when nil) from `file`.
    public init(file: GGUFFile, layers requested: LayerRange? = nil) throws(ModelError) {
        self.file = file
        let loader = TensorLoader(file: file)
        config = try SwiGLUDecoderConfig(
            metadata: file.metadata, architecture: "qwen2", vocabularySize: try loader.vocabularySize(),
            defaultNormEpsilon: 1e-6, defaultRopeBase: 1_000_000)
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
