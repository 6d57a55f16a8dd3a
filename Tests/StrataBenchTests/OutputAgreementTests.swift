@testable import StrataBench
import XCTest

/// `ab`'s per-request output comparison, and log probabilities read from chunks.
final class OutputAgreementTests: XCTestCase {
    private func record(_ id: Int, _ tokens: [(String, Double)], failed: Bool = false) -> RequestRecord {
        var record = RequestRecord(id: id, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 1)
        record.tokenLogprobs = tokens.map { TokenLogprob(token: $0.0, logprob: $0.1) }
        record.generatedText = tokens.map(\.0).joined()
        record.endedAt = 1
        if failed { record.failure = RequestFailure(kind: .timeout, message: "t") }
        return record
    }

    func testIdenticalDivergingAndFailedPairs() throws {
        let a = [record(0, [("A", -0.1), ("B", -0.2)]), record(1, [("x", -1), ("y", -2), ("z", -3)]), record(2, [("q", -1)])]
        let b = [record(1, [("x", -1.25), ("w", -2)]), record(0, [("A", -0.1), ("B", -0.2)]), record(2, [("q", -1)], failed: true)]
        let agreement = OutputAgreement(a: a, b: b)
        XCTAssertEqual(agreement.pairs.map(\.id), [0, 1, 2])
        XCTAssertEqual(agreement.comparable, 2)
        XCTAssertEqual(agreement.identical, 1)
        XCTAssertTrue(agreement.pairs[0].identical)
        XCTAssertNil(agreement.pairs[0].firstDivergence)
        XCTAssertEqual(agreement.pairs[0].maxLogprobDrift, 0)
        XCTAssertEqual(agreement.pairs[1].firstDivergence, 1)
        XCTAssertEqual(try XCTUnwrap(agreement.pairs[1].maxLogprobDrift), 0.25, accuracy: 1e-12)
        XCTAssertFalse(agreement.pairs[2].bothSucceeded)
        XCTAssertEqual(try XCTUnwrap(agreement.maxLogprobDrift), 0.25, accuracy: 1e-12)
    }

    func testWithoutLogprobsDivergenceIsByCharacter() {
        var a = RequestRecord(id: 0, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 1)
        a.generatedText = "Paris is"
        a.endedAt = 1
        var b = a
        b.generatedText = "Paris was"
        let pair = OutputAgreement(a: [a], b: [b]).pairs[0]
        XCTAssertEqual(pair.firstDivergence, 6)
        XCTAssertNil(pair.maxLogprobDrift)
    }

    func testLogprobsAreReadFromCompletionAndChatChunks() throws {
        let completion = try StreamChunk.decode(
            #"{"choices":[{"text":" Paris","logprobs":{"tokens":[" Paris"],"token_logprobs":[-0.5],"top_logprobs":null}}]}"#,
            endpoint: .completions
        )
        XCTAssertEqual(completion, .content(text: " Paris", finishReason: nil, usage: nil, logprobs: [TokenLogprob(token: " Paris", logprob: -0.5)]))
        let chat = try StreamChunk.decode(
            #"{"choices":[{"delta":{"content":"Hi"},"logprobs":{"content":[{"token":"Hi","logprob":-0.25,"top_logprobs":[]}]}}]}"#,
            endpoint: .chat
        )
        XCTAssertEqual(chat, .content(text: "Hi", finishReason: nil, usage: nil, logprobs: [TokenLogprob(token: "Hi", logprob: -0.25)]))
        var target = try TargetServer(baseURL: "http://h:1", model: "m")
        target.logprobs = true
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: target.body(for: BenchRequest(id: 0, prompt: "p", maxTokens: 1, estimatedInputTokens: 1))) as? [String: Any])
        XCTAssertEqual(body["logprobs"] as? Int, 1)
    }
}

import Foundation
