import CStrataKernels
import StrataGGUF
import XCTest

/// Reference weight quantizers: quantize -> dequantize error on gaussian rows, per format.
final class RoundTripTests: XCTestCase {
    func testQuantizeDequantizeRoundTripError() {
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            var worst = 0.0
            for seed in 0..<12 {
                var random = TestRandom(seed: UInt64(seed) &* 104_729 &+ UInt64(format.type.rawValue))
                let columns = [256, 1024, 4096][seed % 3]
                let scale: Float = [1, 0.02, 300][seed % 3]
                var x = random.gaussians(columns, scale: scale)
                if seed % 4 == 3 {  // a few outliers, as real weight rows have
                    for _ in 0..<4 { x[Int(random.next() % UInt64(columns))] *= 8 }
                }
                let row = format.quantized(x, columns: columns)
                var back = [Float](repeating: .nan, count: columns)
                row.withUnsafeBytes { kernels.reference.dequantize($0.baseAddress, &back, Int64(columns)) }
                var error = 0.0, energy = 0.0
                for i in 0..<columns {
                    error += Double(back[i] - x[i]) * Double(back[i] - x[i])
                    energy += Double(x[i]) * Double(x[i])
                }
                let relative = (error / energy).squareRoot()
                worst = max(worst, relative)
                XCTAssertLessThanOrEqual(relative, format.roundTripBound, "\(format.type) seed \(seed)")
            }
            print("round trip \(format.type): worst relative RMSE \(worst)")
        }
    }

    func testZeroRowsStayZero() {
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            let row = format.quantized([Float](repeating: 0, count: 512), columns: 512)
            var back = [Float](repeating: .nan, count: 512)
            row.withUnsafeBytes { kernels.reference.dequantize($0.baseAddress, &back, 512) }
            XCTAssertEqual(back, [Float](repeating: 0, count: 512), "\(format.type)")
        }
    }
}
