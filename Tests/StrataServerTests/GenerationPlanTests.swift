import StrataEngine
import Testing
@testable import StrataServer

/// OpenAI parameters → engine requests, without a model.
@Suite struct GenerationPlanTests {
    private func plan(_ parameters: GenerationParameters, prompts: [[Int32]] = [[2, 10]], topLogprobs: Int? = nil) throws(APIError) -> GenerationPlan {
        try GenerationPlan(parameters: parameters, prompts: prompts, topLogprobs: topLogprobs, vocabularySize: 100, defaultMaxTokens: { 50 - $0 })
    }

    @Test func choicesGetConsecutiveSeedsInPromptMajorOrder() throws {
        var parameters = GenerationParameters()
        parameters.n = 3
        parameters.seed = -1
        let result = try plan(parameters, prompts: [[2, 3], [2, 4]])
        #expect(result.requests.count == 6)
        #expect(result.requests.map(\.prompt) == [[2, 3], [2, 3], [2, 3], [2, 4], [2, 4], [2, 4]])
        #expect(result.requests.prefix(3).map(\.sampling.seed) == [UInt64.max, 0, 1])
    }

    @Test func defaultsAndTranslation() throws {
        var parameters = GenerationParameters()
        parameters.temperature = 0
        parameters.topK = -1
        parameters.stop = StopSequences(["\n"])
        parameters.logitBias = ["7": -100]
        parameters.ignoreEos = true
        parameters.priority = 3
        let request = try #require(try plan(parameters).requests.first)
        #expect(request.maxTokens == 48)
        #expect(request.sampling.temperature == 0 && request.sampling.topK == 0 && request.sampling.seed == nil)
        #expect(request.sampling.logitBias == [7: -100])
        #expect(request.stopSequences == ["\n"] && request.ignoreEndOfGeneration && request.priority == 3)
        parameters.maxTokens = 9
        parameters.maxCompletionTokens = 4
        #expect(try plan(parameters).requests.first?.maxTokens == 4)
    }

    @Test func outOfRangeParametersNameTheField() {
        func param(_ change: (inout GenerationParameters) -> Void) -> String? {
            var parameters = GenerationParameters()
            change(&parameters)
            do {
                _ = try plan(parameters)
                return nil
            } catch {
                return error.param
            }
        }
        #expect(param { $0.n = 17 } == "n")
        #expect(param { $0.temperature = -0.1 } == "temperature")
        #expect(param { $0.temperature = .nan } == "temperature")
        #expect(param { $0.minP = 2 } == "min_p")
        #expect(param { $0.presencePenalty = 3 } == "presence_penalty")
        #expect(param { $0.logitBias = ["100": 1] } == "logit_bias")
        #expect(param { $0.stop = StopSequences([""]) } == "stop")
        #expect(param { $0.maxCompletionTokens = 0 } == "max_completion_tokens")
        #expect(param { $0.topK = -2 } == "top_k")
        #expect(param { _ in } == nil)
    }
}
