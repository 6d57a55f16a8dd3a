import StrataGGUF

/// Hyperparameters of a `llama`- or `qwen2`-style decoder, decoded from `<architecture>.*` GGUF
/// metadata with that architecture's defaults for what a file may leave out.
public struct SwiGLUDecoderConfig: Sendable, Equatable {
    /// Sizes of the whole model.
    public let shape: ModelShape
    /// RMS norm epsilon (`attention.layer_norm_rms_epsilon`).
    public let normEpsilon: Float
    /// Leading dimensions of each head that RoPE rotates (`rope.dimension_count`, default the head size).
    public let ropeDimensions: Int
    /// RoPE base (`rope.freq_base`).
    public let ropeBase: Float
    /// Position scale of RoPE (1 / linear scaling factor).
    public let ropePositionScale: Float
    /// Multiplier applied to q·k: 1/√(head size).
    public let attentionScale: Float

    init(metadata: GGUFMetadata, architecture: String, vocabularySize: Int,
         defaultNormEpsilon: Float, defaultRopeBase: Float) throws(ModelError) {
        let hp = Hyperparameters(metadata: metadata, architecture: architecture)
        shape = try hp.attentionShape(vocabularySize: vocabularySize)
        normEpsilon = try hp.float("attention.layer_norm_rms_epsilon", default: defaultNormEpsilon)
        ropeDimensions = try hp.ropeDimensions(headSize: shape.headSize)
        ropeBase = try hp.float("rope.freq_base", default: defaultRopeBase)
        ropePositionScale = try hp.ropePositionScale()
        attentionScale = 1 / Float(shape.headSize).squareRoot()
    }
}
