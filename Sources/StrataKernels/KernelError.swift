import StrataGGUF

/// Why a tensor cannot be used with the kernels.
public enum KernelError: Error, Equatable, Sendable {
    /// No dequantize / dot-product kernels exist for this element type.
    case unsupportedType(GGMLType)
    /// The row length is not a whole number of the type's blocks.
    case rowNotBlockAligned(type: GGMLType, columns: Int)
    /// Rows and columns must both be positive.
    case invalidShape(rows: Int, columns: Int)
}
