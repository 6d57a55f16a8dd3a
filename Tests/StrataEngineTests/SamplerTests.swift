import StrataEngine
import XCTest

final class SamplerTests: XCTestCase {
    private func sample(_ logits: [Float], _ parameters: SamplingParameters, draws: Int) -> [Int32] {
        var sampler = Sampler(parameters: parameters)
        return (0 ..< draws).map { _ in logits.withUnsafeBufferPointer { sampler.sample($0.baseAddress!, count: $0.count) } }
    }

    private func frequencies(_ tokens: [Int32], count: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: count)
        for token in tokens { counts[Int(token)] += 1 }
        return counts.map { $0 / Double(tokens.count) }
    }

    func testGreedyPicksTheLargestLogitAndTheLowestIdOnTies() {
        XCTAssertEqual(sample([0.1, 2, -1, 2], .greedy, draws: 3), [1, 1, 1])
    }

    func testSameSeedGivesTheSameDrawsAndAnotherSeedDoesNot() {
        let logits: [Float] = (0 ..< 50).map { Float($0 % 7) * 0.3 }
        let a = sample(logits, SamplingParameters(temperature: 1, seed: 42), draws: 200)
        let b = sample(logits, SamplingParameters(temperature: 1, seed: 42), draws: 200)
        let c = sample(logits, SamplingParameters(temperature: 1, seed: 43), draws: 200)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testTemperatureOneFollowsTheSoftmax() {
        let logits: [Float] = [log(0.5), log(0.3), log(0.2)]
        let observed = frequencies(sample(logits, SamplingParameters(temperature: 1, seed: 7), draws: 20000), count: 3)
        for (seen, expected) in zip(observed, [0.5, 0.3, 0.2]) { XCTAssertEqual(seen, expected, accuracy: 0.015) }
    }

    func testLowTemperatureSharpensAndHighFlattens() {
        let logits: [Float] = [log(0.5), log(0.3), log(0.2)]
        let cold = frequencies(sample(logits, SamplingParameters(temperature: 0.2, seed: 1), draws: 5000), count: 3)
        let hot = frequencies(sample(logits, SamplingParameters(temperature: 5, seed: 1), draws: 5000), count: 3)
        XCTAssertGreaterThan(cold[0], 0.9)
        XCTAssertLessThan(hot[0], 0.4)
    }

    func testTopKOneIsGreedyAtAnyTemperature() {
        XCTAssertEqual(Set(sample([1, 3, 2, 0], SamplingParameters(temperature: 2, topK: 1, seed: 3), draws: 100)), [1])
    }

    func testTopPKeepsTheSmallestNucleus() {
        let logits: [Float] = [log(0.5), log(0.3), log(0.2)]
        let drawn = Set(sample(logits, SamplingParameters(temperature: 1, topP: 0.6, seed: 5), draws: 2000))
        XCTAssertEqual(drawn, [0, 1])
    }

    func testMinPDropsUnlikelyTokens() {
        let logits: [Float] = [log(0.5), log(0.3), log(0.2)]
        let drawn = Set(sample(logits, SamplingParameters(temperature: 1, minP: 0.5, seed: 9), draws: 2000))
        XCTAssertEqual(drawn, [0, 1])
    }

    func testLogSoftmaxNormalisesAndRanks() {
        let logits: [Float] = [1, 4, 2, 4, -3]
        logits.withUnsafeBufferPointer { buffer in
            let softmax = LogSoftmax(buffer.baseAddress!, count: buffer.count)
            let total = logits.reduce(0.0) { $0 + exp(Double(softmax.logprob($1))) }
            XCTAssertEqual(total, 1, accuracy: 1e-6)
            let top = softmax.top(3, of: buffer.baseAddress!, count: buffer.count)
            XCTAssertEqual(top.map(\.token), [1, 3, 2])
            XCTAssertEqual(top[0].logprob, softmax.logprob(4))
        }
    }

    func testRandomSourceIsDeterministicAndUniform() {
        var a = RandomSource(seed: 123), b = RandomSource(seed: 123)
        XCTAssertEqual((0 ..< 10).map { _ in a.next() }, (0 ..< 10).map { _ in b.next() })
        var mean = 0.0
        for _ in 0 ..< 10000 { mean += a.nextUnitDouble() }
        XCTAssertEqual(mean / 10000, 0.5, accuracy: 0.02)
    }
}
