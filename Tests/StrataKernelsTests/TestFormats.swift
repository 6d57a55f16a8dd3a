import CStrataKernels
import StrataGGUF
import StrataKernels

/// A weight format the kernels support, with its reference quantizer and test tolerances.
struct TestFormat {
    let type: GGMLType
    /// f32 row -> this format (the reference weight quantizer).
    let quantize: @convention(c) (UnsafePointer<Float>?, UnsafeMutableRawPointer?, Int64) -> Void
    /// Largest RMS(dequantize(quantize(x)) - x) / RMS(x) allowed on gaussian rows (some with outliers);
    /// about 10% above what the reference quantizers reach.
    let roundTripBound: Double
    /// Largest |dot_simd - dot_ref| / Σ|terms| allowed (observed: ~6e-8 float, ~4e-8 quantized;
    /// float rows of 32 go through ~6 roundings of a summation tree).
    let dotBound: Double

    /// Row lengths to test: for the 32-element formats also ones that are not a multiple of 8 blocks
    /// (the SIMD kernels handle blocks 8 at a time, then the rest).
    var testColumns: [Int] {
        type.blockSize == 256 ? [256, 512, 768, 2048, 4096] : [32, 96, 640, 768, 2048]
    }

    /// A row length for tile tests, with a partial group of 8 blocks where the format has one.
    var tileColumns: Int { type.blockSize == 256 ? 512 : 640 }

    /// Bytes of a row of `columns` elements.
    func rowBytes(_ columns: Int) -> Int { columns / type.blockSize * type.typeSize }

    /// Quantizes `values` (a whole number of rows of `columns`) into this format.
    func quantized(_ values: [Float], columns: Int) -> [UInt8] {
        let rows = values.count / columns
        var out = [UInt8](repeating: 0, count: rows * rowBytes(columns))
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { dst in
                for r in 0..<rows {
                    quantize(src.baseAddress! + r * columns, dst.baseAddress! + r * rowBytes(columns), Int64(columns))
                }
            }
        }
        return out
    }

    static let all: [TestFormat] = [
        TestFormat(type: .f32, quantize: { src, dst, n in
            dst!.copyMemory(from: src!, byteCount: Int(n) * 4)
        }, roundTripBound: 0, dotBound: 3e-7),
        TestFormat(type: .f16, quantize: strata_quantize_row_f16_ref, roundTripBound: 2.5e-4, dotBound: 3e-7),
        TestFormat(type: .bf16, quantize: strata_quantize_row_bf16_ref, roundTripBound: 2.0e-3, dotBound: 3e-7),
        TestFormat(type: .q8_0, quantize: strata_quantize_row_q8_0_ref, roundTripBound: 0.010, dotBound: 2e-7),
        TestFormat(type: .q4_0, quantize: strata_quantize_row_q4_0_ref, roundTripBound: 0.135, dotBound: 2e-7),
        TestFormat(type: .q5_0, quantize: strata_quantize_row_q5_0_ref, roundTripBound: 0.072, dotBound: 2e-7),
        TestFormat(type: .q4_K, quantize: strata_quantize_row_q4_K_ref, roundTripBound: 0.088, dotBound: 2e-7),
        TestFormat(type: .q5_K, quantize: strata_quantize_row_q5_K_ref, roundTripBound: 0.048, dotBound: 2e-7),
        TestFormat(type: .q6_K, quantize: strata_quantize_row_q6_K_ref, roundTripBound: 0.024, dotBound: 2e-7),
    ]

    static func named(_ type: GGMLType) -> TestFormat {
        all.first { $0.type == type }!
    }
}

/// The C kernels for `type` from the reference table and from the best table.
struct KernelPair {
    let reference: strata_type_kernels
    let best: strata_type_kernels

    init(_ type: GGMLType) {
        reference = strata_kernels_for_type(strata_kernels_reference(), type.rawValue)!.pointee
        best = strata_kernels_for_type(strata_kernels_best(), type.rawValue)!.pointee
    }
}
