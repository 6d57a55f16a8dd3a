import CStrataKernels
import XCTest

/// The fp16 attention kernels: the SIMD path against the scalar reference, and both against
/// exact softmax attention over the same fp16 inputs.
final class AttentionKernelTests: XCTestCase {
    private struct Case {
        let headSize: Int
        let query: [Float]
        let keys: [[UInt16]]
        let values: [[UInt16]]
    }

    private func makeCase(_ random: inout TestRandom, headSize: Int, count: Int, scale: Float) -> Case {
        func halves(_ n: Int) -> [UInt16] { (0 ..< n).map { _ in strata_f32_to_fp16(random.gaussian() * scale) } }
        return Case(
            headSize: headSize, query: (0 ..< headSize).map { _ in random.gaussian() },
            keys: (0 ..< count).map { _ in halves(headSize) }, values: (0 ..< count).map { _ in halves(headSize) }
        )
    }

    private func run(_ kernels: strata_attention_kernels, _ c: Case, queryScale: Float, scoreScale: Float) -> [Float] {
        var out = [Float](repeating: 0, count: c.headSize)
        var scratch = [UInt16](repeating: 0, count: 2 * c.headSize)
        let keyBuffers = c.keys.map { row -> UnsafeMutablePointer<UInt16> in
            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: row.count)
            p.initialize(from: row, count: row.count)
            return p
        }
        let valueBuffers = c.values.map { row -> UnsafeMutablePointer<UInt16> in
            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: row.count)
            p.initialize(from: row, count: row.count)
            return p
        }
        defer { (keyBuffers + valueBuffers).forEach { $0.deallocate() } }
        var keyRows: [UnsafePointer<UInt16>?] = keyBuffers.map { UnsafePointer($0) }
        var valueRows: [UnsafePointer<UInt16>?] = valueBuffers.map { UnsafePointer($0) }
        kernels.attend(Int64(c.headSize), Int64(c.keys.count), c.query, queryScale, scoreScale,
                       &keyRows, &valueRows, &scratch, &out)
        return out
    }

    /// Softmax attention in Double over the fp16-rounded query, keys and values.
    private func exact(_ c: Case, queryScale: Float, scoreScale: Float) -> [Double] {
        let q = c.query.map { Double(strata_fp16_to_f32(strata_f32_to_fp16($0 * queryScale))) }
        let scores = c.keys.map { key in
            zip(q, key).reduce(0.0) { $0 + $1.0 * Double(strata_fp16_to_f32($1.1)) } * Double(scoreScale)
        }
        let maximum = scores.max() ?? 0
        let weights = scores.map { exp($0 - maximum) }
        let total = weights.reduce(0, +)
        return (0 ..< c.headSize).map { i in
            zip(weights, c.values).reduce(0.0) { $0 + $1.0 * Double(strata_fp16_to_f32($1.1[i])) } / total
        }
    }

    func testSIMDMatchesReferenceAndBothMatchExactAttention() {
        let reference = strata_attention_reference().pointee
        let best = strata_attention_best().pointee
        var random = TestRandom(seed: 11)
        for (headSize, count) in [(256, 1), (256, 7), (64, 300), (128, 33), (40, 5), (256, 512)] {
            let c = makeCase(&random, headSize: headSize, count: count, scale: 1.5)
            let queryScale = 1 / Float(headSize).squareRoot()
            let slow = run(reference, c, queryScale: queryScale, scoreScale: 1)
            let fast = run(best, c, queryScale: queryScale, scoreScale: 1)
            let truth = exact(c, queryScale: queryScale, scoreScale: 1)
            let magnitude = truth.map(abs).max() ?? 1
            for i in 0 ..< headSize {
                // Values are accumulated in fp16: one or two fp16 roundings per position.
                XCTAssertEqual(Double(slow[i]), truth[i], accuracy: 4e-3 * max(magnitude, 1), "reference, \(headSize)×\(count) [\(i)]")
                XCTAssertEqual(fast[i], slow[i], accuracy: 2e-3 * Float(max(magnitude, 1)), "\(best.name.map { String(cString: $0) } ?? "best") vs reference [\(i)]")
            }
        }
    }

    func testScoreScaleIsAppliedAfterTheDot() {
        let reference = strata_attention_reference().pointee
        var random = TestRandom(seed: 12)
        let c = makeCase(&random, headSize: 64, count: 20, scale: 1)
        let viaQuery = run(reference, c, queryScale: 0.125, scoreScale: 1)
        let viaScore = run(reference, c, queryScale: 1, scoreScale: 0.125)
        for (a, b) in zip(viaQuery, viaScore) { XCTAssertEqual(a, b, accuracy: 5e-3) }
    }

    func testHalfConversionRowsAreBitIdentical() {
        let reference = strata_attention_reference().pointee
        let best = strata_attention_best().pointee
        var random = TestRandom(seed: 13)
        var input = (0 ..< 1003).map { _ in random.gaussian() * 1000 }
        input += [0, -0, 65504, 65520, 1e-8, -1e-5, .infinity, -.infinity, 6.1e-5, 5.96e-8]
        var slow = [UInt16](repeating: 0, count: input.count), fast = slow
        reference.to_fp16(input, &slow, Int64(input.count))
        best.to_fp16(input, &fast, Int64(input.count))
        XCTAssertEqual(slow, fast)
    }
}
