@testable import StrataBench
import XCTest

/// OpenAI streams (completions and chat) turned into records, including broken ones.
final class StreamRecorderTests: XCTestCase {
    private func recorder(_ endpoint: Endpoint, streamed: Bool = true) -> StreamRecorder {
        StreamRecorder(record: RequestRecord(id: 0, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 4), endpoint: endpoint, streamed: streamed)
    }

    private func sse(_ payloads: [String]) -> [UInt8] { Array(payloads.map { "data: \($0)\n\n" }.joined().utf8) }

    func testCompletionsStreamWithUsage() throws {
        var r = recorder(.completions)
        r.receive(sse([#"{"choices":[{"index":0,"text":"Hel","finish_reason":null}]}"#]), at: 0.1)
        r.receive(sse([#"{"choices":[{"index":0,"text":"lo","finish_reason":null}]}"#, #"{"choices":[{"index":0,"text":"","finish_reason":"length"}]}"#]), at: 0.2)
        r.receive(sse([#"{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}"#, "[DONE]"]), at: 0.3)
        r.finish(at: 0.35)
        let record = r.record
        XCTAssertNil(record.failure)
        XCTAssertEqual(record.generatedText, "Hello")
        XCTAssertEqual(record.chunks.map(\.tokens), [1, 1, 0, 0])
        XCTAssertEqual(record.usage, Usage(promptTokens: 4, completionTokens: 2))
        XCTAssertEqual(record.endedAt, 0.3, "the end is the [DONE] arrival")
        XCTAssertEqual(RequestMetrics(record).outputTokens, 2)
    }

    func testChatStreamRoleChunkIsEmpty() {
        var r = recorder(.chat)
        r.receive(sse([#"{"choices":[{"index":0,"delta":{"role":"assistant"}}]}"#]), at: 0.05)
        r.receive(sse([#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#]), at: 0.2)
        r.receive(sse([#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#]), at: 0.3)
        r.finish(at: 0.4)
        XCTAssertNil(r.record.failure, "a finish reason without [DONE] is a complete stream")
        XCTAssertEqual(r.record.endedAt, 0.4)
        XCTAssertEqual(try XCTUnwrap(RequestMetrics(r.record).ttft), 0.2, accuracy: 1e-12, "the role-only chunk is not the first token")
    }

    func testErrorInsideTheStreamFailsHalfWay() {
        var r = recorder(.completions)
        r.receive(sse([#"{"choices":[{"text":"a"}]}"#, #"{"error":{"message":"out of memory","type":"server_error"}}"#]), at: 0.2)
        r.receive(sse([#"{"choices":[{"text":"ignored"}]}"#]), at: 0.3)
        r.finish(at: 0.4)
        XCTAssertEqual(r.record.failure, RequestFailure(kind: .streamError, message: "out of memory"))
        XCTAssertEqual(r.record.endedAt, 0.2)
        XCTAssertEqual(r.record.generatedText, "a")
    }

    func testStreamCutShortIsIncomplete() {
        var r = recorder(.completions)
        r.receive(sse([#"{"choices":[{"text":"a"}]}"#]), at: 0.2)
        r.finish(at: 0.5)
        XCTAssertEqual(r.record.failure?.kind, .incompleteStream)
        XCTAssertFalse(RequestMetrics(r.record).succeeded)
    }

    func testMalformedChunkIsMalformed() {
        var r = recorder(.completions)
        r.receive(Array("data: {not json\n\n".utf8), at: 0.1)
        XCTAssertEqual(r.record.failure?.kind, .malformedStream)
        var noChoices = recorder(.chat)
        noChoices.receive(sse([#"{"object":"chat.completion.chunk"}"#]), at: 0.1)
        XCTAssertEqual(noChoices.record.failure?.kind, .malformedStream)
    }

    func testNonStreamedResponse() {
        var r = recorder(.chat, streamed: false)
        let body = #"{"choices":[{"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3}}"#
        r.receive(Array(body.utf8.prefix(20)), at: 0.1)
        r.receive(Array(body.utf8.dropFirst(20)), at: 0.2)
        r.finish(at: 0.25)
        XCTAssertNil(r.record.failure)
        XCTAssertEqual(r.record.generatedText, "Paris.")
        XCTAssertEqual(RequestMetrics(r.record, streamed: false).outputTokens, 3)
        var bad = recorder(.completions, streamed: false)
        bad.receive(Array("<html>".utf8), at: 0.1)
        bad.finish(at: 0.1)
        XCTAssertEqual(bad.record.failure?.kind, .malformedStream)
    }

    func testStatusKindsAndErrorMessages() {
        XCTAssertEqual(FailureKind.forStatus(401), .unauthorized)
        XCTAssertEqual(FailureKind.forStatus(429), .rateLimited)
        XCTAssertEqual(FailureKind.forStatus(404), .clientError)
        XCTAssertEqual(FailureKind.forStatus(503), .serverError)
        let message = RequestRunner.errorMessage(status: .unauthorized, body: #"{"error":{"message":"bad key","type":"invalid_request_error"}}"#)
        XCTAssertEqual(message, "401 Unauthorized: bad key")
        XCTAssertEqual(RequestRunner.errorMessage(status: .tooManyRequests, body: ""), "429 Too Many Requests")
    }

    func testRequestBodies() throws {
        let request = BenchRequest(id: 0, prompt: "Hi", maxTokens: 7, estimatedInputTokens: 1)
        let chat = try TargetServer(baseURL: "http://127.0.0.1:8080/v1/", model: "m", endpoint: .chat, temperature: 0)
        XCTAssertEqual(chat.requestURL, "http://127.0.0.1:8080/v1/chat/completions")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: chat.body(for: request)) as? [String: Any])
        XCTAssertEqual(object["max_tokens"] as? Int, 7)
        XCTAssertEqual(object["stream"] as? Bool, true)
        XCTAssertEqual((object["stream_options"] as? [String: Bool])?["include_usage"], true)
        XCTAssertEqual((object["messages"] as? [[String: String]])?.first?["content"], "Hi")
        XCTAssertNil(object["ignore_eos"])
        let plain = try TargetServer(baseURL: "http://h:1", model: "m", stream: false, ignoreEOS: true)
        let completion = try XCTUnwrap(try JSONSerialization.jsonObject(with: plain.body(for: request)) as? [String: Any])
        XCTAssertEqual(completion["prompt"] as? String, "Hi")
        XCTAssertNil(completion["stream_options"])
        XCTAssertEqual(completion["ignore_eos"] as? Bool, true)
        XCTAssertThrowsError(try TargetServer(baseURL: "ftp://x", model: "m"))
        XCTAssertThrowsError(try TargetServer(baseURL: "localhost:8080", model: "m"))
    }
}

import Foundation
