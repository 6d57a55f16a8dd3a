import CStrataKernels
import StrataGGUF

/// The C kernels for one weight format, unwrapped once so hot paths call them without checks.
struct ResolvedKernels: @unchecked Sendable {
    typealias Dequantize = @convention(c) (UnsafeRawPointer?, UnsafeMutablePointer<Float>?, Int64) -> Void
    typealias Quantize = @convention(c) (UnsafePointer<Float>?, UnsafeMutableRawPointer?, Int64) -> Void
    typealias VecDot = @convention(c) (Int64, UnsafeRawPointer?, UnsafeRawPointer?) -> Float
    typealias MulTile = @convention(c) (Int64, UnsafeRawPointer?, Int, Int64, UnsafeRawPointer?, Int, Int64,
                                        UnsafeMutablePointer<Float>?, Int) -> Void

    let dequantize: Dequantize
    let quantizeActivation: Quantize
    let vecDot: VecDot
    let mulTile: MulTile
    /// ggml type of the activations (F32, Q8_0 or Q8_K).
    let activationType: UInt32
    let activationBlockSize: Int
    let activationTypeSize: Int

    /// The kernels of `table` for `type`, or nil when it has none.
    init?(table: OpaquePointer, type: GGMLType) {
        guard let entry = strata_kernels_for_type(table, type.rawValue)?.pointee,
              let dequantize = entry.dequantize, let quantize = entry.quantize_activation,
              let vecDot = entry.vec_dot, let mulTile = entry.mul_tile
        else { return nil }
        self.dequantize = dequantize
        self.quantizeActivation = quantize
        self.vecDot = vecDot
        self.mulTile = mulTile
        activationType = entry.activation_type
        activationBlockSize = Int(entry.activation_block_size)
        activationTypeSize = Int(entry.activation_type_size)
    }

    /// Whether activations are used as f32 directly (float weight formats) rather than quantized.
    var usesFloatActivations: Bool { activationType == GGMLType.f32.rawValue }
}
