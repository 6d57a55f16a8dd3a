import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import XCTest

/// The default model against llama.cpp's greedy continuations and logprobs (`greedy-gemma3.json`).
///
/// Gemma 3 carries activation outliers in the hundreds, so 8-bit activation quantization makes its
/// logits sensitive to last-bit differences in any arithmetic; two faithful implementations drift
/// apart over the 18 layers. Strata mirrors llama.cpp's CPU numerics where they matter (Q8_0
/// rounding, fp16 KV cache and flash-attention accumulation, fp16 GELU table, f32 RoPE angles);
/// these tests pin the agreement reached, as measured in the notes.
final class GoldenGemma3Tests: XCTestCase {
    private func loadModel() throws -> any LanguageModel {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        return try ArchitectureRegistry.load(file)
    }

    func testGreedyContinuationsFollowLlamaCpp() throws {
        let model = try loadModel()
        let fixture = try GreedyFixture.load()
        var identical = 0, matchedTokens = 0
        for testCase in fixture.cases {
            let generator = Generator(model: model, contextLength: 64, threads: 2)
            let result = try generator.generate(
                prompt: testCase.promptIds, maxTokens: testCase.completionIds.count, sampling: .greedy
            )
            let prefix = zip(result.tokens, testCase.completionIds).prefix { $0 == $1 }.count
            matchedTokens += prefix
            if prefix == testCase.completionIds.count { identical += 1 }
            XCTAssertGreaterThanOrEqual(prefix, 2, "\(testCase.prompt.debugDescription) diverges at step \(prefix)")
        }
        print("greedy: \(identical) of \(fixture.cases.count) continuations identical, "
              + "\(matchedTokens) of \(fixture.cases.count * 32) tokens before the first divergence")
        XCTAssertGreaterThanOrEqual(identical, 5)
        XCTAssertGreaterThanOrEqual(matchedTokens, 220)
    }

    func testTeacherForcedLogprobsFollowLlamaCpp() throws {
        let model = try loadModel()
        let fixture = try GreedyFixture.load()
        let vocabulary = model.shape.vocabularySize
        var errors: [Float] = []
        var decisive = 0, decisiveAgreeing = 0
        for testCase in fixture.cases {
            let tokens = testCase.promptIds + testCase.completionIds
            let state = model.makeForwardState(maxTokens: tokens.count, maxContext: tokens.count, threads: 2)
            let cache = model.makeKVCache(blockCount: (tokens.count + 15) / 16, blockSize: 16)
            let table = (0 ..< Int32(cache.blockCount)).map { $0 }
            model.forward(.singleSequence(tokens: tokens, startPosition: 0, blockTable: table), state: state, cache: cache)
            let rows = Array(testCase.promptIds.count - 1 ..< testCase.promptIds.count - 1 + testCase.steps.count)
            let logits = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * vocabulary)
            defer { logits.deallocate() }
            model.logits(rows: rows, state: state, into: logits)
            for (step, reference) in testCase.steps.enumerated() {
                let row = logits + step * vocabulary
                let softmax = LogSoftmax(row, count: vocabulary)
                let margin = reference.top[0].logprob - reference.top[1].logprob
                let agrees = Sampler.argmax(row, count: vocabulary) == reference.top[0].id
                if margin >= 0.05 {
                    decisive += 1
                    if agrees { decisiveAgreeing += 1 }
                }
                if margin >= 0.5 {
                    XCTAssertTrue(agrees, "\(testCase.prompt.debugDescription) step \(step): argmax differs at margin \(margin)")
                }
                for (id, expected) in reference.top {
                    errors.append(abs(softmax.logprob(row[Int(id)]) - expected))
                }
            }
        }
        errors.sort()
        let median = errors[errors.count / 2], p90 = errors[errors.count * 9 / 10]
        print("teacher-forced: argmax agrees on \(decisiveAgreeing) of \(decisive) steps with margin >= 0.05; "
              + "top-5 logprob error median \(median), p90 \(p90), max \(errors[errors.count - 1]) nats; "
              + "\(errors.filter { $0 <= 0.1 }.count) of \(errors.count) within 0.1")
        XCTAssertGreaterThanOrEqual(Double(decisiveAgreeing), 0.96 * Double(decisive))
        XCTAssertLessThanOrEqual(median, 0.1)
        XCTAssertLessThanOrEqual(p90, 0.35)
    }
}
