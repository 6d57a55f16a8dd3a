/// A decoder-only language model, or the part of one that a pipeline stage holds.
///
/// The first stage embeds token ids; later stages continue from the hidden states in the
/// `ForwardState`. The last stage turns chosen rows of hidden state into logits.
public protocol LanguageModel: AnyObject, Sendable {
    /// The architecture's name as in `general.architecture`.
    var architecture: String { get }
    /// Sizes of the whole model.
    var shape: ModelShape { get }
    /// The layers this instance holds.
    var layers: LayerRange { get }
    /// Every model layer's attention window in positions (nil: the whole context).
    var layerWindows: [Int?] { get }

    /// Runs the held layers over `batch`, storing keys and values in `cache`.
    ///
    /// On return `state.hidden` holds one row of `shape.embeddingWidth` floats per batch row.
    /// The first stage reads `batch.tokens`; other stages read their input from `state.hidden`.
    func forward(_ batch: ForwardBatch, state: ForwardState, cache: KVCache)

    /// Last stage only: the logits of the hidden-state rows `rows` (after `forward`), written as
    /// `rows.count` rows of `shape.vocabularySize` floats. Rows are normalised in place.
    func logits(rows: [Int], state: ForwardState, into logits: UnsafeMutablePointer<Float>)
}

extension LanguageModel {
    /// Full attention in every layer.
    public var layerWindows: [Int?] { Array(repeating: nil, count: shape.layerCount) }

    /// How the held layers share block tables: grouped by attention window when
    /// `releasingSlidingWindows` (so sliding-window layers can give up blocks behind their
    /// window), else one table for every layer.
    public func kvCacheLayout(releasingSlidingWindows: Bool) -> KVCacheLayout {
        releasingSlidingWindows ? .byWindow(layerWindows: layerWindows, layers: layers) : .single(layers: layers)
    }

    /// A KV cache for this model's held layers with `blockCount` blocks of `blockSize` tokens,
    /// laid out as `layout` (default: one block table for every layer).
    public func makeKVCache(blockCount: Int, blockSize: Int, layout: KVCacheLayout? = nil) -> KVCache {
        KVCache(blockCount: blockCount, blockSize: blockSize, layout: layout ?? .single(layers: layers), kvWidth: shape.kvWidth)
    }

    /// A forward state for batches of up to `maxTokens` rows over contexts of up to `maxContext` positions.
    public func makeForwardState(maxTokens: Int, maxContext: Int, threads: Int) -> ForwardState {
        ForwardState(shape: shape, maxTokens: maxTokens, maxContext: maxContext, threads: threads)
    }
}
