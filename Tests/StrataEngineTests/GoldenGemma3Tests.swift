import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import XCTest

/// The default model against llama.cpp's greedy continuations and logprobs.
final class GoldenGemma3Tests: XCTestCase {
    private func loadModel() throws -> any LanguageModel {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        return try ArchitectureRegistry.load(file)
    }

    /// At least 10 of the 12 prompts continue exactly as llama.cpp's 32 greedy tokens.
    func testGreedyContinuationsMatchLlamaCpp() throws {
        let model = try loadModel()
        let fixture = try GreedyFixture.load()
        var identical = 0
        for testCase in fixture.cases {
            let generator = Generator(model: model, contextLength: 64, threads: 2)
            let result = try generator.generate(
                prompt: testCase.promptIds, maxTokens: testCase.completionIds.count, sampling: .greedy
            )
            if result.tokens == testCase.completionIds {
                identical += 1
            } else {
                let diverged = zip(result.tokens, testCase.completionIds).prefix { $0 == $1 }.count
                print("greedy differs for \(testCase.prompt.debugDescription) from step \(diverged)")
            }
        }
        XCTAssertGreaterThanOrEqual(identical, 10, "only \(identical) of \(fixture.cases.count) continuations identical")
    }

    /// Fed the reference's own tokens: same argmax wherever the reference is decisive, and every
    /// reference top-5 logprob within 0.1 nats.
    func testTeacherForcedLogprobsMatchLlamaCpp() throws {
        let model = try loadModel()
        let fixture = try GreedyFixture.load()
        let vocabulary = model.shape.vocabularySize
        var worstError: Float = 0
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
                if margin >= 0.05 {
                    XCTAssertEqual(Sampler.argmax(row, count: vocabulary), reference.top[0].id,
                                   "\(testCase.prompt.debugDescription) step \(step): argmax differs (margin \(margin))")
                }
                for (id, expected) in reference.top {
                    let actual = softmax.logprob(row[Int(id)])
                    worstError = max(worstError, abs(actual - expected))
                    XCTAssertEqual(actual, expected, accuracy: 0.1,
                                   "\(testCase.prompt.debugDescription) step \(step) token \(id)")
                }
            }
        }
        print("teacher-forced worst top-5 logprob error: \(worstError) nats")
    }
}
