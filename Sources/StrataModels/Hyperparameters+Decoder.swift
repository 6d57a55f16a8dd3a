/// The hyperparameters that Llama-style decoders (`llama`, `qwen2`) read the same way.
extension Hyperparameters {
    /// The model's sizes from `embedding_length`, `block_count`, `attention.head_count`,
    /// `attention.head_count_kv` (default: no grouping), `attention.key_length` (default
    /// width / heads), `feed_forward_length` and `context_length`.
    func attentionShape(vocabularySize: Int) throws(ModelError) -> ModelShape {
        let width = try integer("embedding_length")
        let heads = try integer("attention.head_count")
        let headSize = try integer("attention.key_length", default: width / heads)
        let shape = ModelShape(
            embeddingWidth: width, layerCount: try integer("block_count"), heads: heads,
            kvHeads: try integer("attention.head_count_kv", default: heads), headSize: headSize,
            feedForwardWidth: try integer("feed_forward_length"), vocabularySize: vocabularySize,
            contextLength: try integer("context_length")
        )
        guard heads % shape.kvHeads == 0 else {
            throw .invalidHyperparameter(key: "\(architecture).attention.head_count_kv", reason: "\(shape.kvHeads) does not divide \(heads) heads")
        }
        guard try integer("attention.value_length", default: headSize) == headSize else {
            throw .invalidHyperparameter(key: "\(architecture).attention.value_length", reason: "must equal key_length")
        }
        return shape
    }

    /// `rope.dimension_count`, default the whole head; even and at most the head size.
    func ropeDimensions(headSize: Int) throws(ModelError) -> Int {
        let dimensions = try integer("rope.dimension_count", default: headSize)
        guard dimensions % 2 == 0, dimensions <= headSize else {
            throw .invalidHyperparameter(key: "\(architecture).rope.dimension_count", reason: "\(dimensions) is odd or exceeds the head size \(headSize)")
        }
        return dimensions
    }

    /// The RoPE position multiplier: 1 / `rope.scaling.factor` for linear scaling, else 1.
    /// Scaling types Strata does not implement (YaRN, LongRoPE) are refused rather than ignored.
    func ropePositionScale() throws(ModelError) -> Float {
        switch try string("rope.scaling.type") {
        case nil, "none":
            return 1
        case "linear":
            let factor = try float("rope.scaling.factor", default: 1)
            return factor > 0 ? 1 / factor : 1
        case let other?:
            throw .invalidHyperparameter(key: "\(architecture).rope.scaling.type", reason: "'\(other)' is not supported")
        }
    }
}
