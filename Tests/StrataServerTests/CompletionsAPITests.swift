import Foundation
import HummingbirdTesting
import Testing
@testable import StrataServer

/// `POST /v1/completions` through the router, on the real default model.
@Suite struct CompletionsAPITests {
    @Test func greedyCompletionMatchesTheGoldenText() async throws {
        let app = try ServerFixture.application()
        let model = try ServerFixture.model()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: """
                {"model": "\(model.id)", "prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}
                """)
            #expect(response.status == .ok)
            let object = try response.object()
            #expect(object["object"] as? String == "text_completion")
            #expect(object["model"] as? String == model.id)
            #expect(object["system_fingerprint"] as? String == model.fingerprint)
            #expect((object["id"] as? String)?.hasPrefix("cmpl-") == true)
            let choices = try #require(object["choices"] as? [[String: Any]])
            #expect(choices.count == 1)
            #expect(choices[0]["text"] as? String == " the capital of the country of France.")
            #expect(choices[0]["finish_reason"] as? String == "length")
            let usage = try #require(object["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 6)
            #expect(usage["completion_tokens"] as? Int == 8)
            #expect(usage["total_tokens"] as? Int == 14)
            let details = try #require(usage["prompt_tokens_details"] as? [String: Any])
            #expect((details["cached_tokens"] as? Int).map { (0 ... 6).contains($0) } == true)
        }
    }

    @Test func tokenPromptsAndPromptArraysGiveOneChoicePerPrompt() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            // [2, ...] is "<bos>The capital of France is".
            let ids = try ServerFixture.model().encodePrompt("The capital of France is")
            let response = try await client.post("/v1/completions", json: """
                {"prompt": [\(ids.map(String.init).joined(separator: ","))], "max_tokens": 8, "temperature": 0}
                """)
            #expect(response.status == .ok)
            let choices = try #require(try response.object()["choices"] as? [[String: Any]])
            #expect(choices.first?["text"] as? String == " the capital of the country of France.")

            let batch = try await client.post("/v1/completions", json: """
                {"prompt": ["The capital of France is", "One, two, three,"], "max_tokens": 3, "temperature": 0}
                """)
            let batchChoices = try #require(try batch.object()["choices"] as? [[String: Any]])
            #expect(batchChoices.map { $0["index"] as? Int } == [0, 1])
            #expect(batchChoices[0]["text"] as? String == " the capital of")
        }
    }

    @Test func stopStringEndsTheTextBeforeIt() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            for stop in [#""country""#, #"["nothing", "country"]"#] {
                let response = try await client.post("/v1/completions", json: """
                    {"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0, "stop": \(stop)}
                    """)
                let choice = try #require((try response.object()["choices"] as? [[String: Any]])?.first)
                #expect(choice["text"] as? String == " the capital of the ")
                #expect(choice["finish_reason"] as? String == "stop")
            }
        }
    }

    @Test func nChoicesWithASeedAreReproducibleAndDistinctPerIndex() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let body = """
                {"prompt": "Once upon a time", "max_tokens": 12, "temperature": 1.0, "seed": 42, "n": 2, "ignore_eos": true}
                """
            let first = try #require(try await client.post("/v1/completions", json: body).object()["choices"] as? [[String: Any]])
            let second = try #require(try await client.post("/v1/completions", json: body).object()["choices"] as? [[String: Any]])
            #expect(first.count == 2)
            #expect(first.map { $0["index"] as? Int } == [0, 1])
            let texts = first.map { $0["text"] as? String ?? "" }
            #expect(texts == second.map { $0["text"] as? String ?? "" })
            #expect(texts[0] != texts[1])
            let usage = try #require(try await client.post("/v1/completions", json: body).object()["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == 24)
        }
    }

    @Test func logprobsInTheCompletionsFormat() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: """
                {"prompt": "The capital of France is", "max_tokens": 4, "temperature": 0, "logprobs": 3}
                """)
            let choice = try #require((try response.object()["choices"] as? [[String: Any]])?.first)
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            let tokens = try #require(logprobs["tokens"] as? [String])
            #expect(tokens.joined() == choice["text"] as? String)
            let values = try #require(logprobs["token_logprobs"] as? [Double])
            #expect(values.count == 4 && values.allSatisfy { $0 <= 0 })
            let top = try #require(logprobs["top_logprobs"] as? [[String: Double]])
            #expect(top.count == 4 && top.allSatisfy { $0.count == 3 })
            // Greedy: the chosen token is the most likely one.
            for (token, alternatives) in zip(tokens, top) {
                #expect(alternatives[token] == alternatives.values.max())
            }
            let offsets = try #require(logprobs["text_offset"] as? [Int])
            #expect(offsets.first == 0 && offsets.count == tokens.count)
            for index in 1 ..< offsets.count { #expect(offsets[index] == offsets[index - 1] + tokens[index - 1].count) }
        }
    }

    @Test func aRepeatedLongPromptReportsCachedTokens() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let body = """
                {"prompt": "Prefix caching check: the quick brown fox jumps over the lazy dog while the farmer watches from the porch of his house near the river.", "max_tokens": 2}
                """
            let first = try #require(try await client.post("/v1/completions", json: body).object()["usage"] as? [String: Any])
            let second = try #require(try await client.post("/v1/completions", json: body).object()["usage"] as? [String: Any])
            let prompt = try #require(first["prompt_tokens"] as? Int)
            #expect(prompt > 16)
            let cached = try #require((second["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int)
            // Whole 16-token blocks of the prompt come from the cache the second time.
            #expect(cached >= 16 && cached < prompt)
        }
    }

    @Test func minTokensAndMaxCompletionTokens() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: """
                {"prompt": "The capital of France is", "max_completion_tokens": 3, "max_tokens": 50, "temperature": 0, "min_tokens": 2, "priority": -1}
                """)
            let usage = try #require(try response.object()["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == 3)
        }
    }
}
