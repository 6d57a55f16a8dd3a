import StrataGGUF

/// A 2-D weight tensor in any supported format, viewed in place (no copy).
///
/// Shapes follow ggml: `columns` is ne0 (the row length, input features), `rows` is ne1 (output features).
/// The memory behind `data` must outlive the matrix (typically the memory-mapped GGUF file).
///
/// `@unchecked Sendable`: the matrix only reads immutable weight memory and an immutable kernel table.
public struct WeightMatrix: @unchecked Sendable {
    /// Element format of the stored rows.
    public let type: GGMLType
    /// Number of rows (ggml ne1, output features).
    public let rows: Int
    /// Elements per row (ggml ne0, input features).
    public let columns: Int
    /// The first byte of row 0; rows are contiguous, `rowBytes` apart.
    public let data: UnsafeRawPointer
    /// Bytes taken by one row.
    public let rowBytes: Int
    /// The kernels for `type`, resolved once.
    let kernels: ResolvedKernels

    /// Wraps `rows` rows of `columns` elements of `type` starting at `data`.
    ///
    /// - Parameter kernels: which kernel set to multiply with (the fastest by default).
    /// - Throws: `KernelError.unsupportedType` for formats without kernels,
    ///   `.rowNotBlockAligned` when `columns` is not a multiple of the block size,
    ///   `.invalidShape` when a dimension is not positive.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer,
                kernels: KernelSet = .best) throws(KernelError) {
        guard rows > 0, columns > 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard let resolved = ResolvedKernels(table: kernels.table, type: type) else {
            throw .unsupportedType(type)
        }
        guard let rowBytes = type.rowByteCount(elements: columns) else {
            throw .rowNotBlockAligned(type: type, columns: columns)
        }
        if columns % resolved.activationBlockSize != 0 {
            throw .rowNotBlockAligned(type: type, columns: columns)
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.data = data
        self.rowBytes = rowBytes
        self.kernels = resolved
    }

    /// Pointer to the first byte of row `row`.
    @inline(__always)
    func rowPointer(_ row: Int) -> UnsafeRawPointer {
        data + row * rowBytes
    }

    /// Bytes of one token's activations in the format this matrix multiplies with.
    var activationRowBytes: Int {
        columns / kernels.activationBlockSize * kernels.activationTypeSize
    }
}
