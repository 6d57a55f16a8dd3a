/// Where a tensor lives in a GGUF file and what shape and type it has.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Dimensions in ggml order: `dimensions[0]` is the row length (innermost, contiguous).
    public let dimensions: [Int]
    /// The element type.
    public let type: GGMLType
    /// Byte offset of the tensor's data from the start of the data section.
    public let offset: Int
    /// Number of elements.
    public let elementCount: Int
    /// Number of bytes of data.
    public let byteCount: Int

    /// Elements per row (ggml `ne0`).
    public var rowLength: Int { dimensions[0] }
    /// Number of rows: the product of all dimensions but the first.
    public var rowCount: Int { elementCount / rowLength }
    /// Bytes per row.
    public var rowByteCount: Int { byteCount / max(rowCount, 1) }
}
