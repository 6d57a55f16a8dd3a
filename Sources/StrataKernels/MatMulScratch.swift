/// Memory for the quantized activations of one matrix product, allocated once and reused by every call.
///
/// Size it for the largest call: `maxTokens` rows of at most `maxColumns` inputs. A scratch may be
/// shared by all matrices of a model, but not by two products running at the same time.
///
/// `@unchecked Sendable`: it owns a raw buffer; `multiply` is the only writer and is not re-entrant
/// for one scratch (the caller's invariant).
public final class MatMulScratch: @unchecked Sendable {
    /// Most tokens a product using this scratch may have.
    public let maxTokens: Int
    /// Most columns (inputs) a matrix multiplied with this scratch may have.
    public let maxColumns: Int
    /// Bytes of quantized activations per token at `maxColumns` (Q8_K, the largest activation format).
    let bytesPerToken: Int
    let buffer: UnsafeMutableRawPointer

    /// Allocates room for `maxTokens` tokens of `maxColumns` inputs.
    public init(maxTokens: Int, maxColumns: Int) {
        self.maxTokens = max(1, maxTokens)
        self.maxColumns = max(1, maxColumns)
        // Q8_K takes 292 bytes per 256 inputs, more than Q8_0's 34 per 32; round up to whole blocks.
        bytesPerToken = (self.maxColumns + 255) / 256 * 292
        buffer = .allocate(byteCount: self.maxTokens * bytesPerToken, alignment: 64)
    }

    deinit {
        buffer.deallocate()
    }
}
