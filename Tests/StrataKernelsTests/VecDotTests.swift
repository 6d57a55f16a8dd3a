import CStrataKernels
import StrataGGUF
import XCTest

/// The SIMD dot products against the scalar reference on random data, and tiles against vec_dot.
final class VecDotTests: XCTestCase {
    /// Quantized activations for `values` in the activation format of `kernels`.
    private func activations(_ values: [Float], kernels: strata_type_kernels) -> [UInt8] {
        let bytes = values.count / Int(kernels.activation_block_size) * Int(kernels.activation_type_size)
        var out = [UInt8](repeating: 0, count: bytes)
        out.withUnsafeMutableBytes { kernels.quantize_activation(values, $0.baseAddress, Int64(values.count)) }
        return out
    }

    func testSIMDVecDotMatchesReference() {
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            var worst = 0.0
            for seed in 0..<60 {
                var random = TestRandom(seed: UInt64(seed) &* 7919 &+ UInt64(format.type.rawValue))
                let columns = format.testColumns[seed % 5]
                // Half the rows quantized from gaussians (realistic), half random bits (every quant pattern;
                // float formats always from gaussians, random bits would overflow).
                let row: [UInt8]
                if seed % 2 == 0 || [.f32, .f16, .bf16].contains(format.type) {
                    row = format.quantized(random.gaussians(columns, scale: 0.05), columns: columns)
                } else {
                    row = randomRow(format: format, columns: columns, random: &random)
                }
                let x = random.gaussians(columns)
                let a = activations(x, kernels: kernels.reference)
                var w = [Float](repeating: 0, count: columns)
                var zeroedWeights = [Float](repeating: 0, count: columns)
                row.withUnsafeBytes { kernels.reference.dequantize($0.baseAddress, &w, Int64(columns)) }
                zeroQuants(row, format: format.type).withUnsafeBytes {
                    kernels.reference.dequantize($0.baseAddress, &zeroedWeights, Int64(columns))
                }
                if w.contains(where: { !$0.isFinite }) { continue }
                var activationValues = x
                if kernels.reference.activation_type != GGMLType.f32.rawValue {
                    activationValues = dequantizeActivations(a, type: kernels.reference.activation_type, count: columns)
                }
                // Scale of the terms the kernels add: the weights and their block offsets (mins, -8, -32 ...).
                var magnitude = 0.0
                for i in 0..<columns {
                    magnitude += (abs(Double(w[i])) + abs(Double(zeroedWeights[i]))) * abs(Double(activationValues[i]))
                }
                let (reference, simd) = row.withUnsafeBytes { wp in
                    a.withUnsafeBytes { ap in
                        (kernels.reference.vec_dot(Int64(columns), wp.baseAddress, ap.baseAddress),
                         kernels.best.vec_dot(Int64(columns), wp.baseAddress, ap.baseAddress))
                    }
                }
                let error = abs(Double(simd) - Double(reference)) / max(magnitude, 1e-30)
                worst = max(worst, error)
                XCTAssertLessThanOrEqual(error, format.dotBound,
                                         "\(format.type) seed \(seed) columns \(columns): \(simd) vs \(reference)")
            }
            print("vec_dot \(format.type): worst relative error \(worst)")
        }
    }

    /// The reference itself: its block-wise integer sums equal the plain dot product of the
    /// dequantized weights with the dequantized activations (up to float accumulation).
    func testReferenceVecDotEqualsDequantizedDot() {
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            for seed in 0..<20 {
                var random = TestRandom(seed: UInt64(seed) &+ 31 &* UInt64(format.type.rawValue))
                let columns = format.testColumns[seed % 5]
                let row = format.quantized(random.gaussians(columns, scale: 0.05), columns: columns)
                let x = random.gaussians(columns)
                let a = activations(x, kernels: kernels.reference)
                var activationValues = x
                if kernels.reference.activation_type != GGMLType.f32.rawValue {
                    activationValues = dequantizeActivations(a, type: kernels.reference.activation_type, count: columns)
                }
                var w = [Float](repeating: 0, count: columns)
                row.withUnsafeBytes { kernels.reference.dequantize($0.baseAddress, &w, Int64(columns)) }
                var exact = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    exact += Double(w[i]) * Double(activationValues[i])
                    magnitude += abs(Double(w[i]) * Double(activationValues[i]))
                }
                let dot = row.withUnsafeBytes { wp in
                    a.withUnsafeBytes { kernels.reference.vec_dot(Int64(columns), wp.baseAddress, $0.baseAddress) }
                }
                XCTAssertLessThanOrEqual(abs(Double(dot) - exact), 1e-6 * magnitude, "\(format.type) seed \(seed)")
            }
        }
    }

    func testTilesMatchVecDotBitForBit() {
        // Token counts that leave every remainder of the 8-token kernels.
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            for table in [kernels.reference, kernels.best] {
                for tokens in [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 20] {
                    checkTile(format: format, table: table, tokens: tokens)
                }
            }
        }
    }

    private func checkTile(format: TestFormat, table: strata_type_kernels, tokens: Int) {
        var random = TestRandom(seed: 77 &+ UInt64(format.type.rawValue) &+ UInt64(tokens))
        let columns = format.tileColumns, rows = 5
        let weights = format.quantized(random.gaussians(rows * columns, scale: 0.1), columns: columns)
        let x = random.gaussians(tokens * columns)
        let rowBytes = format.rowBytes(columns)
        let aRow = columns / Int(table.activation_block_size) * Int(table.activation_type_size)
        var a = [UInt8](repeating: 0, count: tokens * aRow)
        a.withUnsafeMutableBytes { ap in
            for t in 0..<tokens {
                table.quantize_activation(Array(x[t * columns..<(t + 1) * columns]), ap.baseAddress! + t * aRow, Int64(columns))
            }
        }
        var y = [Float](repeating: .nan, count: tokens * rows)
        weights.withUnsafeBytes { wp in
            a.withUnsafeBytes { ap in
                table.mul_tile(Int64(columns), wp.baseAddress, rowBytes, Int64(rows), ap.baseAddress, aRow,
                               Int64(tokens), &y, rows)
                for r in 0..<rows {
                    for t in 0..<tokens {
                        let single = table.vec_dot(Int64(columns), wp.baseAddress! + r * rowBytes, ap.baseAddress! + t * aRow)
                        XCTAssertEqual(y[t * rows + r].bitPattern, single.bitPattern,
                                       "\(format.type) row \(r) token \(t) of \(tokens)")
                    }
                }
            }
        }
    }
}

/// `row` with every quant set to zero and scales kept: dequantizing it gives each element's offset term.
func zeroQuants(_ row: [UInt8], format: GGMLType) -> [UInt8] {
    var out = row
    let size = format.typeSize
    for base in stride(from: 0, to: row.count, by: size) {
        switch format {
        case .q8_0, .q4_0: for i in 2..<size { out[base + i] = 0 }
        case .q5_0: for i in 2..<size { out[base + i] = 0 }
        case .q4_K, .q5_K: for i in 16..<size { out[base + i] = 0 }
        case .q6_K: for i in 0..<192 { out[base + i] = 0 }
        default: for i in 0..<size { out[base + i] = 0 }
        }
    }
    return out
}

/// Dequantized Q8_0 / Q8_K activations.
func dequantizeActivations(_ bytes: [UInt8], type: UInt32, count: Int) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    bytes.withUnsafeBytes { src in
        if type == GGMLType.q8_K.rawValue {
            strata_dequantize_row_q8_K_ref(src.baseAddress, &out, Int64(count))
        } else {
            strata_dequantize_row_q8_0_ref(src.baseAddress, &out, Int64(count))
        }
    }
    return out
}
