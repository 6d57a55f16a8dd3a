import CStrataKernels
import StrataGGUF
import StrataKernels
import XCTest

/// Matrix products through the Swift API: against a naive product, and batch invariance.
final class MatMulTests: XCTestCase {
    private struct Case {
        let format: TestFormat
        let rows: Int
        let columns: Int
        let weights: [UInt8]

        init(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) {
            format = TestFormat.named(type)
            self.rows = rows
            self.columns = columns
            var random = TestRandom(seed: seed)
            weights = format.quantized(random.gaussians(rows * columns, scale: 0.05), columns: columns)
        }

        func withMatrix<R>(kernels: KernelSet = .best, _ body: (WeightMatrix) throws -> R) throws -> R {
            try weights.withUnsafeBytes { raw in
                try body(WeightMatrix(type: format.type, rows: rows, columns: columns, data: raw.baseAddress!,
                                      kernels: kernels))
            }
        }
    }

    private static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q5_0, .q4_K, .q5_K, .q6_K]

    private func product(_ w: WeightMatrix, _ x: [Float], tokens: Int, pool: ThreadPool) -> [Float] {
        let scratch = MatMulScratch(maxTokens: tokens, maxColumns: w.columns)
        var y = [Float](repeating: .nan, count: tokens * w.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                multiply(w, input: xp.baseAddress!, tokens: tokens, output: yp.baseAddress!, scratch: scratch, pool: pool)
            }
        }
        return y
    }

    func testProductMatchesNaiveDequantizedProduct() throws {
        let pool = ThreadPool(threadCount: 2)
        for (index, type) in Self.types.enumerated() {
            let c = Case(type, rows: 37, columns: TestFormat.named(type).tileColumns, seed: UInt64(100 + index))
            var random = TestRandom(seed: UInt64(200 + index))
            for tokens in [1, 7, 33] {
                let x = random.gaussians(tokens * c.columns)
                try c.withMatrix { w in
                    let y = product(w, x, tokens: tokens, pool: pool)
                    // Naive: dequantize each row, quantize-dequantize each token the same way, dot in Double.
                    let kernels = strata_kernels_for_type(strata_kernels_reference(), type.rawValue)!.pointee
                    var row = [Float](repeating: 0, count: c.columns)
                    for t in 0..<tokens {
                        let xt = Array(x[t * c.columns..<(t + 1) * c.columns])
                        var a = xt
                        if kernels.activation_type != GGMLType.f32.rawValue {
                            let bytes = c.columns / Int(kernels.activation_block_size) * Int(kernels.activation_type_size)
                            var q = [UInt8](repeating: 0, count: bytes)
                            q.withUnsafeMutableBytes { kernels.quantize_activation(xt, $0.baseAddress, Int64(c.columns)) }
                            a = dequantizeActivations(q, type: kernels.activation_type, count: c.columns)
                        }
                        for r in 0..<c.rows {
                            dequantizeRow(w, row: r, into: &row)
                            var exact = 0.0, magnitude = 0.0
                            for i in 0..<c.columns {
                                exact += Double(row[i]) * Double(a[i])
                                magnitude += abs(Double(row[i]) * Double(a[i]))
                            }
                            XCTAssertLessThanOrEqual(abs(Double(y[t * c.rows + r]) - exact), 1e-5 * magnitude,
                                                     "\(type) tokens \(tokens) t \(t) r \(r)")
                        }
                    }
                }
            }
        }
    }

    /// A token's output is bit-identical whatever the batch size, its position and the thread count.
    func testBatchInvariance() throws {
        let pools = [ThreadPool(threadCount: 1), ThreadPool(threadCount: 2)]
        for (index, type) in Self.types.enumerated() {
            let c = Case(type, rows: 301, columns: 1024, seed: UInt64(300 + index))
            var random = TestRandom(seed: UInt64(400 + index))
            let x = random.gaussians(33 * c.columns)
            try c.withMatrix { w in
                let full = product(w, x, tokens: 33, pool: pools[1])
                XCTAssertEqual(product(w, x, tokens: 33, pool: pools[0]).map(\.bitPattern), full.map(\.bitPattern),
                               "\(type): threads 1 vs 2")
                for start in [0, 5, 26] {
                    let part = Array(x[start * c.columns..<(start + 7) * c.columns])
                    let y7 = product(w, part, tokens: 7, pool: pools[start % 2])
                    XCTAssertEqual(y7.map(\.bitPattern), full[start * c.rows..<(start + 7) * c.rows].map(\.bitPattern),
                                   "\(type): 7 tokens from \(start)")
                }
                for t in [0, 3, 4, 17, 32] {
                    let single = product(w, Array(x[t * c.columns..<(t + 1) * c.columns]), tokens: 1, pool: pools[t % 2])
                    XCTAssertEqual(single.map(\.bitPattern), full[t * c.rows..<(t + 1) * c.rows].map(\.bitPattern),
                                   "\(type): token \(t) alone")
                }
            }
        }
    }

    func testReferenceAndBestKernelsAgree() throws {
        let pool = ThreadPool(threadCount: 2)
        for (index, type) in Self.types.enumerated() {
            let c = Case(type, rows: 64, columns: 768, seed: UInt64(500 + index))
            var random = TestRandom(seed: UInt64(600 + index))
            let x = random.gaussians(5 * c.columns)
            let reference = try c.withMatrix(kernels: .reference) { product($0, x, tokens: 5, pool: pool) }
            let best = try c.withMatrix(kernels: .best) { product($0, x, tokens: 5, pool: pool) }
            for i in 0..<reference.count {
                XCTAssertEqual(best[i], reference[i], accuracy: 1e-4 * max(1, abs(reference[i])), "\(type) \(i)")
            }
        }
    }

    func testDequantizeRowMatchesReference() throws {
        for (index, type) in Self.types.enumerated() {
            let c = Case(type, rows: 9, columns: 512, seed: UInt64(700 + index))
            let kernels = strata_kernels_for_type(strata_kernels_reference(), type.rawValue)!.pointee
            try c.withMatrix { w in
                var row = [Float](repeating: 0, count: c.columns)
                var expected = [Float](repeating: 0, count: c.columns)
                for r in [0, 4, 8] {
                    dequantizeRow(w, row: r, into: &row)
                    c.weights.withUnsafeBytes {
                        kernels.dequantize($0.baseAddress! + r * c.format.rowBytes(c.columns), &expected, Int64(c.columns))
                    }
                    XCTAssertEqual(row, expected, "\(type) row \(r)")
                }
            }
        }
    }
}
