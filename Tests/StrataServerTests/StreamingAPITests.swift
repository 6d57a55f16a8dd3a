import Foundation
import HummingbirdTesting
import Testing
@testable import StrataServer

/// Server-Sent Events answers of both generation endpoints.
@Suite struct StreamingAPITests {
    @Test func completionStreamJoinsToTheNonStreamedTextAndEndsWithUsageAndDone() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: """
                {"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0, "stream": true,
                 "stream_options": {"include_usage": true}}
                """)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(response.events().last == "[DONE]")
            let chunks = try response.chunks()
            #expect(chunks.count >= 3)
            let textChunks = chunks.dropLast()
            let text = textChunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["text"] as? String }.joined()
            #expect(text == " the capital of the country of France.")
            #expect(textChunks.allSatisfy { $0["object"] as? String == "text_completion" && $0["usage"] == nil })
            let finish = textChunks.last.flatMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
            #expect(finish == "length")
            let usage = try #require(chunks.last?["usage"] as? [String: Any])
            #expect((chunks.last?["choices"] as? [Any])?.isEmpty == true)
            #expect(usage["completion_tokens"] as? Int == 8)
            #expect(usage["prompt_tokens"] as? Int == 6)
        }
    }

    @Test func chatStreamOpensWithTheRoleAndCarriesDeltas() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let body = """
                {"messages": [{"role": "user", "content": "Count from one to five."}], "max_tokens": 10, "temperature": 0%@}
                """
            let streamed = try await client.post("/v1/chat/completions", json: body.replacingOccurrences(of: "%@", with: #", "stream": true"#))
            let whole = try await client.post("/v1/chat/completions", json: body.replacingOccurrences(of: "%@", with: ""))
            #expect(streamed.events().last == "[DONE]")
            let chunks = try streamed.chunks()
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            #expect(deltas.first?["role"] as? String == "assistant")
            let text = deltas.compactMap { $0["content"] as? String }.joined()
            let expected = try #require(((try whole.object()["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)
            #expect(text == expected)
            #expect(chunks.contains { $0["usage"] != nil } == false)
        }
    }

    @Test func streamedNChoicesEachFinish() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: """
                {"prompt": "Hello", "max_tokens": 4, "n": 2, "seed": 7, "stream": true, "ignore_eos": true}
                """)
            let choices = try response.chunks().flatMap { $0["choices"] as? [[String: Any]] ?? [] }
            let finished = choices.filter { $0["finish_reason"] as? String == "length" }.compactMap { $0["index"] as? Int }
            #expect(finished.sorted() == [0, 1])
        }
    }
}
