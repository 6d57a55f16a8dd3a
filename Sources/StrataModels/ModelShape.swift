/// The sizes that every decoder-only transformer architecture shares, as the engine needs them.
public struct ModelShape: Sendable, Equatable {
    /// Width of the residual stream.
    public let embeddingWidth: Int
    /// Number of transformer layers in the whole model.
    public let layerCount: Int
    /// Query heads.
    public let heads: Int
    /// Key/value heads.
    public let kvHeads: Int
    /// Floats per attention head.
    public let headSize: Int
    /// Width of the feed-forward hidden layer.
    public let feedForwardWidth: Int
    /// Number of tokens (rows of the output head).
    public let vocabularySize: Int
    /// The context length the model was trained for.
    public let contextLength: Int

    /// Floats per token of keys (and of values) in one layer.
    public var kvWidth: Int { kvHeads * headSize }
    /// Floats per token of all query heads.
    public var queryWidth: Int { heads * headSize }
}
