import StrataGGUF
import StrataKernels

/// Llama: pre-norm blocks of grouped-query attention with interleaved-pair ("normal") RoPE and a
/// SiLU-gated feed-forward, optional Q/K/V/O biases and RoPE frequency factors, and an output
/// head of its own or tied to the token embedding.
public final class LlamaModel: LanguageModel {
    public let architecture = "llama"
    /// Hyperparameters (Llama 1–3, Mistral and other GGUFs that llama.cpp runs as `llama`); RMS
    /// norm epsilon 1e-5 and RoPE base 10,000 unless the file says otherwise.
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
            metadata: file.metadata, architecture: "llama", vocabularySize: try loader.vocabularySize(),
            defaultNormEpsilon: 1e-5, defaultRopeBase: 10_000)
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
