import CStrataKernels
import StrataGGUF
import XCTest

/// The activation quantizers follow ggml's math exactly (Q8_0 as its x86 path computes it).
final class ActivationQuantizerTests: XCTestCase {
    func testQ8_0MatchesGgmlsX86Rule() {
        var random = TestRandom(seed: 5)
        for _ in 0..<50 {
            let x = random.gaussians(512, scale: Float(random.uniform() * 10))
            var blocks = [strata_block_q8_0](repeating: strata_block_q8_0(), count: 16)
            strata_quantize_row_q8_0(x, &blocks, 512)
            for (b, block) in blocks.enumerated() {
                let values = x[b * 32..<(b + 1) * 32]
                let amax = values.map(abs).max()!
                let d = amax / 127
                let id: Float = amax != 0 ? 127 / amax : 0
                XCTAssertEqual(block.d, strata_f32_to_fp16(d))
                withUnsafeBytes(of: block.qs) { qs in
                    for (j, value) in values.enumerated() {
                        // Half to even, as the SSE rounding mode.
                        XCTAssertEqual(Int8(bitPattern: qs[j]), Int8((value * id).rounded(.toNearestOrEven)))
                    }
                }
            }
        }
    }

    func testQ8_KMatchesTheReferenceRule() {
        var random = TestRandom(seed: 6)
        for trial in 0..<50 {
            var x = random.gaussians(512, scale: Float(random.uniform() * 10))
            if trial == 0 { for i in 256..<512 { x[i] = 0 } }  // an all-zero block
            var blocks = [strata_block_q8_K](repeating: strata_block_q8_K(), count: 2)
            strata_quantize_row_q8_K(x, &blocks, 512)
            for (b, block) in blocks.enumerated() {
                let values = Array(x[b * 256..<(b + 1) * 256])
                var amax: Float = 0, max: Float = 0
                for v in values where abs(v) > amax { amax = abs(v); max = v }
                let qs = withUnsafeBytes(of: block.qs) { Array($0).map { Int8(bitPattern: $0) } }
                let bsums = withUnsafeBytes(of: block.bsums) { Array($0.bindMemory(to: Int16.self)) }
                if amax == 0 {
                    XCTAssertEqual(block.d, 0)
                    XCTAssertTrue(qs.allSatisfy { $0 == 0 } && bsums.allSatisfy { $0 == 0 })
                    continue
                }
                let iscale = -127 / max
                XCTAssertEqual(block.d, 1 / iscale)
                for j in 0..<256 {
                    let expected = Swift.min(127, Int((iscale * values[j]).rounded(.toNearestOrEven)))
                    XCTAssertEqual(Int(qs[j]), expected)
                }
                for s in 0..<16 {
                    XCTAssertEqual(Int(bsums[s]), qs[16 * s..<16 * s + 16].reduce(0) { $0 + Int($1) })
                }
            }
        }
    }

    /// The best table's quantizers (AVX2 twins) write the same bytes as the scalar ones,
    /// including exact ties, zero blocks and extreme magnitudes.
    func testBestQuantizersMatchScalarByteForByte() {
        let pairs: [(GGMLTypeID, Int)] = [(.q8_0, MemoryLayout<strata_block_q8_0>.stride),
                                          (.q8_K, MemoryLayout<strata_block_q8_K>.stride)]
        var random = TestRandom(seed: 7)
        for trial in 0..<300 {
            let n = 1024
            var x = random.gaussians(n, scale: [1, 1e-3, 1e4, 1e-30, 3e37][trial % 5])
            if trial % 7 == 0 { for i in 0..<300 { x[i] = 0 } }  // zero blocks
            if trial % 3 == 0 {
                // Ties: with amax = 127 the Q8_0 scale is 1, so k + 0.5 lands exactly halfway.
                for i in 0..<n { x[i] = Float(Int(random.next() % 254) - 127) + (i % 2 == 0 ? 0.5 : 0) }
                for b in stride(from: 0, to: n, by: 32) { x[b] = 127 }
            }
            for (type, blockBytes) in pairs {
                let reference = KernelPair(type.ggml).reference.quantize_activation!
                let best = KernelPair(type.ggml).best.quantize_activation!
                let bytes = n / (type == .q8_0 ? 32 : 256) * blockBytes
                var a = [UInt8](repeating: 0xAA, count: bytes), b = [UInt8](repeating: 0x55, count: bytes)
                a.withUnsafeMutableBytes { reference(x, $0.baseAddress, Int64(n)) }
                b.withUnsafeMutableBytes { best(x, $0.baseAddress, Int64(n)) }
                XCTAssertEqual(a, b, "\(type) trial \(trial)")
            }
        }
    }
}

/// Weight formats whose activation quantizers the test checks (by a weight type that uses them).
private enum GGMLTypeID {
    case q8_0, q8_K
    var ggml: GGMLType { self == .q8_0 ? .q8_0 : .q4_K }
}
