import Foundation
import HummingbirdTesting
import Testing
@testable import StrataServer

/// `POST /v1/chat/completions` through the router, on the real default model.
@Suite struct ChatCompletionsAPITests {
    @Test func chatAnswersThroughTheTemplate() async throws {
        let app = try ServerFixture.application()
        let model = try ServerFixture.model()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/chat/completions", json: """
                {"model": "\(model.id)", "messages": [{"role": "system", "content": "Answer in one word."},
                 {"role": "user", "content": [{"type": "text", "text": "What is the capital of France?"}]}],
                 "max_tokens": 6, "temperature": 0}
                """)
            #expect(response.status == .ok)
            let object = try response.object()
            #expect(object["object"] as? String == "chat.completion")
            #expect(object["system_fingerprint"] as? String == model.fingerprint)
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            let content = try #require(message["content"] as? String)
            #expect(!content.isEmpty)
            #expect(["stop", "length"].contains(choice["finish_reason"] as? String))
            // The prompt is the rendered template, tokenized as /tokenize does: the same tokens
            // sent to /v1/completions give the same greedy answer.
            let tokenized = try await client.post("/tokenize", json: """
                {"messages": [{"role": "system", "content": "Answer in one word."},
                 {"role": "user", "content": "What is the capital of France?"}]}
                """).object()
            let tokens = try #require(tokenized["tokens"] as? [Int])
            #expect(tokens.first == 2)                         // <bos> once
            #expect(tokens.filter { $0 == 2 }.count == 1)
            #expect(tokens.suffix(3) == [105, 4368, 107])       // "<start_of_turn>model\n"
            let usage = try #require(object["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == tokens.count)
            let completion = try await client.post("/v1/completions", json: """
                {"prompt": \(tokens), "max_tokens": 6, "temperature": 0}
                """).object()
            #expect((completion["choices"] as? [[String: Any]])?.first?["text"] as? String == content)
        }
    }

    @Test func chatLogprobsInTheChatFormat() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/chat/completions", json: """
                {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 3, "temperature": 0,
                 "logprobs": true, "top_logprobs": 2}
                """)
            let choice = try #require((try response.object()["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
            #expect(content.count == 3)
            for entry in content {
                #expect((entry["logprob"] as? Double).map { $0 <= 0 } == true)
                #expect((entry["bytes"] as? [Int])?.isEmpty == false)
                let top = try #require(entry["top_logprobs"] as? [[String: Any]])
                #expect(top.count == 2)
                #expect(top.first?["token"] as? String == entry["token"] as? String)
            }
        }
    }

    @Test func chatWithNTwoGreedyChoicesAgree() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/chat/completions", json: """
                {"messages": [{"role": "user", "content": "Reply with just the word yes."}], "n": 2, "temperature": 0,
                 "max_tokens": 12}
                """)
            let choices = try #require(try response.object()["choices"] as? [[String: Any]])
            #expect(choices.map { $0["index"] as? Int } == [0, 1])
            #expect(choices[0]["message"] as? [String: String] == choices[1]["message"] as? [String: String])
            #expect(choices.allSatisfy { ["stop", "length"].contains($0["finish_reason"] as? String) })
        }
    }
}
