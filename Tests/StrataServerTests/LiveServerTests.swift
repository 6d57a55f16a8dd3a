import Foundation
import HummingbirdTesting
import Testing
@testable import StrataServer

/// Over real sockets (`.live`: HTTP/1.1 through the h2c-or-HTTP/1.1 detector), and many
/// requests at once.
@Suite struct LiveServerTests {
    @Test func completionAndStreamOverASocket() async throws {
        let app = try ServerFixture.application()
        try await app.test(.live) { client in
            let response = try await client.post("/v1/completions", json: """
                {"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}
                """)
            #expect(response.status == .ok)
            #expect(response.headers[.init("x-request-id")!]?.hasPrefix("req-") == true)
            let choice = try #require((try response.object()["choices"] as? [[String: Any]])?.first)
            #expect(choice["text"] as? String == " the capital of the country of France.")

            let stream = try await client.post("/v1/chat/completions", json: """
                {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4, "stream": true}
                """)
            #expect(stream.events().last == "[DONE]")
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func concurrentRequestsEachGetTheirOwnGreedyAnswer() async throws {
        let app = try ServerFixture.application()
        let prompts = ["The capital of France is", "One, two, three,", "The sky is", "My favourite food is"]
        try await app.test(.router) { client in
            func complete(_ prompt: String) async throws -> String {
                let response = try await client.post("/v1/completions", json: """
                    {"prompt": "\(prompt)", "max_tokens": 8, "temperature": 0}
                    """)
                return try #require((try response.object()["choices"] as? [[String: Any]])?.first?["text"] as? String)
            }
            var alone: [String] = []
            for prompt in prompts { alone.append(try await complete(prompt)) }
            let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for round in 0 ..< 2 {
                    for (index, prompt) in prompts.enumerated() {
                        group.addTask { (index + round * prompts.count, try await complete(prompt)) }
                    }
                }
                var results = [String](repeating: "", count: prompts.count * 2)
                for try await (index, text) in group { results[index] = text }
                return results
            }
            #expect(alone[0] == " the capital of the country of France.")
            #expect(together == alone + alone)
        }
    }
}
