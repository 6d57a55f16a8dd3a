import CStrataKernels
import StrataGGUF
import XCTest

/// The SIMD dequantizers against the scalar reference: bit-identical on random blocks.
final class DequantizeTests: XCTestCase {
    func testSIMDDequantizeMatchesReferenceBitForBit() {
        for format in TestFormat.all {
            let kernels = KernelPair(format.type)
            for seed in 0..<40 {
                var random = TestRandom(seed: UInt64(seed) &+ 1000 &* UInt64(format.type.rawValue))
                let columns = format.testColumns[seed % 5]
                let row = randomRow(format: format, columns: columns, random: &random)
                var reference = [Float](repeating: 0, count: columns)
                var simd = [Float](repeating: 1, count: columns)
                row.withUnsafeBytes { src in
                    kernels.reference.dequantize(src.baseAddress, &reference, Int64(columns))
                    kernels.best.dequantize(src.baseAddress, &simd, Int64(columns))
                }
                for i in 0..<columns where reference[i].bitPattern != simd[i].bitPattern {
                    // F16C quiets signalling NaNs; the scalar path keeps the payload as is.
                    if reference[i].isNaN && simd[i].isNaN { continue }
                    XCTFail("\(format.type) seed \(seed) element \(i): \(simd[i]) vs reference \(reference[i])")
                    break
                }
            }
        }
    }
}

/// A row of random bits in `format`, with every block scale a finite half in a sane range so that
/// all quant bit patterns are exercised without overflow. Float formats get random bits (NaNs included).
func randomRow(format: TestFormat, columns: Int, random: inout TestRandom) -> [UInt8] {
    var row = random.bytes(format.rowBytes(columns))
    let blocks = columns / format.type.blockSize
    let size = format.type.typeSize
    func setHalf(_ offset: Int) {
        let value = Float16(Float(random.uniform() * 2 - 1) * 0.01)
        row[offset] = UInt8(value.bitPattern & 0xff)
        row[offset + 1] = UInt8(value.bitPattern >> 8)
    }
    for b in 0..<blocks {
        let base = b * size
        switch format.type {
        case .q8_0, .q4_0, .q5_0: setHalf(base)
        case .q4_K, .q5_K: setHalf(base); setHalf(base + 2)
        case .q6_K: setHalf(base + 208)
        case .f32:
            let value = random.gaussian()
            withUnsafeBytes(of: value.bitPattern.littleEndian) { row.replaceSubrange(base..<base + 4, with: $0) }
        default: break
        }
    }
    return row
}
