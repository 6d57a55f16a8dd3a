import StrataEngine
import Testing

@Suite struct LogitAdjustmentTests {
    private func adjusted(_ logits: [Float], _ parameters: SamplingParameters, prompt: [Int32] = [],
                          output: [Int32] = [], suppressing: Set<Int32> = []) -> [Float] {
        var adjustment = LogitAdjustment(parameters: parameters, prompt: prompt)
        for token in output { adjustment.record(token) }
        var row = logits
        _ = row.withUnsafeMutableBufferPointer { adjustment.apply(to: $0.baseAddress!, count: $0.count, suppressing: suppressing) }
        return row
    }

    @Test func logitBiasIsAddedAndOutOfRangeIdsAreIgnored() {
        #expect(adjusted([1, 2, 3], SamplingParameters(logitBias: [0: 5, 2: -1, 7: 9, -1: 3])) == [6, 2, 2])
    }

    @Test func frequencyAndPresencePenaltiesCountOutputTokensOnly() {
        let parameters = SamplingParameters(presencePenalty: 0.5, frequencyPenalty: 0.25)
        let row = adjusted([1, 1, 1, 1], parameters, prompt: [3, 3], output: [1, 1, 2])
        #expect(row == [1, 1 - 0.5 - 0.5, 1 - 0.5 - 0.25, 1])
    }

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        let row = adjusted([2, -2, 2, -2], SamplingParameters(repetitionPenalty: 2), prompt: [0], output: [1])
        #expect(row == [1, -4, 2, -2])
    }

    @Test func suppressedTokensCannotBeChosen() {
        let row = adjusted([5, 1, 0], .greedy, suppressing: [0])
        #expect(row[0] == -.infinity)
        var sampler = Sampler(parameters: .greedy)
        #expect(row.withUnsafeBufferPointer { sampler.sample($0.baseAddress!, count: 3) } == 1)
    }

    @Test func originalsAreKeptForEveryChangedLogit() {
        let adjustment = LogitAdjustment(parameters: SamplingParameters(logitBias: [1: 3]), prompt: [])
        var row: [Float] = [0, 0.5, 1]
        let originals = row.withUnsafeMutableBufferPointer {
            adjustment.apply(to: $0.baseAddress!, count: 3, suppressing: [2], keepingOriginals: true)
        }
        #expect(originals == [1: 0.5, 2: 1])
        #expect(row == [0, 3.5, -.infinity])
    }
}
