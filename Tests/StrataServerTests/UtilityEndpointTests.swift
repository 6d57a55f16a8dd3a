import Foundation
import HummingbirdTesting
import Testing
@testable import StrataServer

/// `/v1/models`, `/tokenize`, `/detokenize`, `/health`, `/ready`, `/metrics`.
@Suite struct UtilityEndpointTests {
    @Test func modelsListsTheServedModel() async throws {
        let app = try ServerFixture.application()
        let model = try ServerFixture.model()
        try await app.test(.router) { client in
            let object = try await client.execute(uri: "/v1/models", method: .get).object()
            #expect(object["object"] as? String == "list")
            let data = try #require(object["data"] as? [[String: Any]])
            #expect(data.count == 1)
            #expect(data[0]["id"] as? String == model.id)
            #expect(data[0]["object"] as? String == "model")
            #expect(data[0]["max_model_len"] as? Int == ServerFixture.contextLength)
        }
    }

    @Test func tokenizeDetokenizeRoundTrip() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let text = "Héllo, world! 日本語 <start_of_turn>"
            let tokenized = try await client.post("/tokenize", json: #"{"prompt": "\#(text)"}"#).object()
            let tokens = try #require(tokenized["tokens"] as? [Int])
            #expect(tokenized["count"] as? Int == tokens.count)
            #expect(tokens.first == 2)   // <bos>
            #expect(tokens.last == 105)  // <start_of_turn> parsed as the special token
            let plain = try await client.post("/tokenize", json: #"{"prompt": "The capital of France is", "add_special_tokens": false}"#).object()
            #expect(plain["tokens"] as? [Int] == [818, 5279, 529, 7001, 563])
            let detokenized = try await client.post("/detokenize", json: #"{"tokens": \#(plain["tokens"] as? [Int] ?? [])}"#).object()
            #expect(detokenized["prompt"] as? String == "The capital of France is")
            let bad = try await client.post("/detokenize", json: #"{"tokens": [-1]}"#)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func healthReadyAndMetrics() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            _ = try await client.post("/v1/completions", json: #"{"prompt": "Hi", "max_tokens": 2}"#)
            _ = try await client.post("/v1/completions", json: #"{"prompt": "Hi", "max_tokens": 0}"#)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            for name in ServerMetrics.names {
                #expect(text.contains("\n\(name)") || text.hasPrefix(name), "\(name) missing")
            }
            #expect(text.contains(#"strata_http_requests_total{endpoint="/v1/completions",status="200"} 1"#))
            #expect(text.contains(#"strata_http_requests_total{endpoint="/v1/completions",status="400"} 1"#))
            #expect(text.contains("strata_time_to_first_token_seconds_count 1"))
            #expect(text.contains("strata_e2e_request_latency_seconds_count 1"))
            #expect(text.contains("strata_generation_tokens_total 2"))
        }
    }
}
