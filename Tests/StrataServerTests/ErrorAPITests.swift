import Foundation
import Hummingbird
typealias BasicRequestContextAlias = BasicRequestContext
import HummingbirdTesting
import Testing
@testable import StrataServer

/// Bad input gets an OpenAI error object with the right status, never a crash.
@Suite struct ErrorAPITests {
    private func expectError(
        _ response: TestResponse, status: Int, param: String? = nil, code: String? = nil, containing text: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status.code == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        let error = try response.error()
        #expect(error["message"] is String, sourceLocation: sourceLocation)
        #expect(error["type"] is String, sourceLocation: sourceLocation)
        #expect(error.keys.sorted() == ["code", "message", "param", "type"], sourceLocation: sourceLocation)
        if let param { #expect(error["param"] as? String == param, sourceLocation: sourceLocation) }
        if let code { #expect(error["code"] as? String == code, sourceLocation: sourceLocation) }
        if let text {
            #expect((error["message"] as? String)?.contains(text) == true, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func malformedJSONIs400() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            try expectError(try await client.post("/v1/completions", json: #"{"prompt": "x", "#), status: 400)
            try expectError(try await client.post("/v1/chat/completions", json: "[1, 2]"), status: 400)
            try expectError(try await client.post("/v1/completions", json: ""), status: 400)
        }
    }

    @Test func unknownModelIs404ModelNotFound() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let response = try await client.post("/v1/completions", json: #"{"model": "gpt-4", "prompt": "x"}"#)
            try expectError(response, status: 404, param: "model", code: "model_not_found", containing: "gpt-4")
            let chat = try await client.post("/v1/chat/completions", json: #"{"model": "gpt-4", "messages": [{"role": "user", "content": "x"}]}"#)
            try expectError(chat, status: 404, code: "model_not_found")
        }
    }

    @Test func promptBeyondTheContextIs400WithTheNumbers() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let long = String(repeating: "word ", count: ServerFixture.contextLength + 10)
            let response = try await client.post("/v1/completions", json: #"{"prompt": "\#(long)", "max_tokens": 8}"#)
            try expectError(response, status: 400, param: "prompt", code: "context_length_exceeded", containing: "\(ServerFixture.contextLength)")
            let chat = try await client.post("/v1/chat/completions", json: #"{"messages": [{"role": "user", "content": "\#(long)"}]}"#)
            try expectError(chat, status: 400, param: "messages", code: "context_length_exceeded")
            let fits = try await client.post("/v1/completions", json: #"{"prompt": "Hi", "max_tokens": \#(ServerFixture.contextLength)}"#)
            try expectError(fits, status: 400, code: "context_length_exceeded", containing: "\(ServerFixture.contextLength + 2)")
        }
    }

    @Test func wrongTypesAndRangesName400TheParameter() async throws {
        let app = try ServerFixture.application()
        try await app.test(.router) { client in
            let cases: [(String, String)] = [
                (#"{"prompt": "x", "temperature": "hot"}"#, "temperature"),
                (#"{"prompt": "x", "temperature": 3}"#, "temperature"),
                (#"{"prompt": "x", "max_tokens": 0}"#, "max_tokens"),
                (#"{"prompt": "x", "max_tokens": "8"}"#, "max_tokens"),
                (#"{"prompt": "x", "n": 0}"#, "n"),
                (#"{"prompt": "x", "top_p": 0}"#, "top_p"),
                (#"{"prompt": "x", "logprobs": 21}"#, "logprobs"),
                (#"{"prompt": "x", "stop": 5}"#, "stop"),
                (#"{"prompt": "x", "logit_bias": {"abc": 1}}"#, "logit_bias"),
                (#"{"prompt": "x", "min_tokens": 9, "max_tokens": 2}"#, "min_tokens"),
                (#"{"prompt": ""}"#, "prompt"),
                (#"{"prompt": 12}"#, "prompt"),
                (#"{"max_tokens": 2}"#, "prompt"),
                (#"{"prompt": [999999999]}"#, "prompt"),
            ]
            for (body, param) in cases {
                try expectError(try await client.post("/v1/completions", json: body), status: 400, param: param)
            }
            let chatCases: [(String, String)] = [
                (#"{"messages": []}"#, "messages"),
                (#"{"messages": [{"role": "robot", "content": "x"}]}"#, "messages[0].role"),
                (#"{"messages": [{"role": "user"}]}"#, "messages[0].content"),
                (#"{"messages": [{"role": "user", "content": "x"}], "top_logprobs": 2}"#, "top_logprobs"),
                (#"{"messages": [{"role": "assistant", "content": "x"}, {"role": "assistant", "content": "y"}]}"#, "messages"),
            ]
            for (body, param) in chatCases {
                try expectError(try await client.post("/v1/chat/completions", json: body), status: 400, param: param)
            }
        }
    }

    @Test func oversizedBodyIs413AndUnknownRouteIs404() async throws {
        let app = try ServerFixture.application(limits: ServerLimits(maxBodyBytes: 1024))
        try await app.test(.router) { client in
            let big = String(repeating: "a", count: 4096)
            try expectError(try await client.post("/v1/completions", json: #"{"prompt": "\#(big)"}"#), status: 413)
            try expectError(try await client.execute(uri: "/v1/nothing", method: .get), status: 404)
        }
    }

    @Test func apiKeyGuardsV1Only() async throws {
        let app = try ServerFixture.application(apiKey: "sekrit")
        try await app.test(.router) { client in
            try expectError(try await client.execute(uri: "/v1/models", method: .get), status: 401, code: "invalid_api_key")
            try expectError(
                try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer wrong"]), status: 401)
            try expectError(
                try await client.post("/v1/completions", json: #"{"prompt": "x", "max_tokens": 1}"#, headers: [.authorization: "Bearer sekri"]),
                status: 401)
            let ok = try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer sekrit"])
            #expect(ok.status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)
        }
    }

    @Test func constantTimeComparison() {
        #expect(APIKeyMiddleware<BasicRequestContextAlias>.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!APIKeyMiddleware<BasicRequestContextAlias>.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!APIKeyMiddleware<BasicRequestContextAlias>.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!APIKeyMiddleware<BasicRequestContextAlias>.constantTimeEqual([], Array("a".utf8)))
    }
}
