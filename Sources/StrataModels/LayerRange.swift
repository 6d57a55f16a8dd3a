/// A contiguous, half-open range of transformer layers `[first, last)` held by one pipeline stage.
public struct LayerRange: Sendable, Equatable, CustomStringConvertible {
    /// The first layer held.
    public let first: Int
    /// One past the last layer held.
    public let last: Int
    /// The model's total number of layers.
    public let layerCount: Int

    /// A range of `layerCount` layers; throws when it is empty or out of bounds.
    public init(first: Int, last: Int, layerCount: Int) throws(ModelError) {
        guard first >= 0, first < last, last <= layerCount else {
            throw .invalidLayerRange(first: first, last: last, layerCount: layerCount)
        }
        self.first = first
        self.last = last
        self.layerCount = layerCount
    }

    /// All layers of a model of `layerCount` layers.
    public static func all(_ layerCount: Int) throws(ModelError) -> LayerRange {
        try LayerRange(first: 0, last: layerCount, layerCount: layerCount)
    }

    /// `requested` when it covers a model of `layerCount` layers, all layers when nil.
    static func resolve(_ requested: LayerRange?, layerCount: Int) throws(ModelError) -> LayerRange {
        guard let requested else { return try all(layerCount) }
        guard requested.layerCount == layerCount else {
            throw .invalidLayerRange(first: requested.first, last: requested.last, layerCount: layerCount)
        }
        return requested
    }

    /// Whether this stage embeds tokens (holds the first layer).
    public var isFirstStage: Bool { first == 0 }
    /// Whether this stage produces logits (holds the last layer).
    public var isLastStage: Bool { last == layerCount }
    /// The layer indices held.
    public var indices: Range<Int> { first ..< last }
    /// Number of layers held.
    public var count: Int { last - first }

    public var description: String { "\(first):\(last)" }
}
