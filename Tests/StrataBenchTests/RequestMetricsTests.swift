@testable import StrataBench
import XCTest

/// Per-request metrics from recorded timelines, against hand-computed answers.
final class RequestMetricsTests: XCTestCase {
    func testEmptyChunksAreNeitherTokensNorLatencyBoundaries() {
        let metrics = RequestMetrics(TimelineFixtures.withEmptyChunk)
        XCTAssertTrue(metrics.succeeded)
        XCTAssertEqual(try XCTUnwrap(metrics.ttft), 0.1, accuracy: 1e-12)
        XCTAssertEqual(metrics.itls.count, 2)
        XCTAssertEqual(metrics.itls[0], 0.1, accuracy: 1e-12)
        XCTAssertEqual(metrics.itls[1], 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(metrics.tpot), 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(metrics.e2el), 0.5, accuracy: 1e-12)
        XCTAssertEqual(metrics.outputTokens, 3)
        XCTAssertEqual(metrics.outputSource, .usage)
        XCTAssertEqual(metrics.inputTokens, 10)
        XCTAssertEqual(metrics.inputSource, .usage)
    }

    func testWithoutUsageTokensAreCountedAndInputEstimated() {
        let metrics = RequestMetrics(TimelineFixtures.withoutUsage)
        XCTAssertEqual(metrics.outputTokens, 2)
        XCTAssertEqual(metrics.outputSource, .counted)
        XCTAssertEqual(metrics.inputTokens, 8)
        XCTAssertEqual(metrics.inputSource, .counted)
        XCTAssertEqual(try XCTUnwrap(metrics.ttft), 0.3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(metrics.tpot), 0.3, accuracy: 1e-12)
    }

    func testUsageOverridesChunkCountForTPOT() {
        var record = TimelineFixtures.withoutUsage
        record.usage = Usage(promptTokens: nil, completionTokens: 4)
        let metrics = RequestMetrics(record)
        XCTAssertEqual(metrics.outputTokens, 4)
        XCTAssertEqual(try XCTUnwrap(metrics.tpot), 0.3 / 3, accuracy: 1e-12)
        XCTAssertEqual(metrics.inputSource, .counted, "prompt_tokens absent: the estimate is used")
    }

    func testFailedHalfWayHasNoLatenciesAndNoTokens() {
        let metrics = RequestMetrics(TimelineFixtures.failedHalfWay)
        XCTAssertFalse(metrics.succeeded)
        XCTAssertEqual(metrics.outputTokens, 0)
        XCTAssertNil(metrics.ttft)
        XCTAssertNil(metrics.e2el)
        XCTAssertTrue(metrics.itls.isEmpty)
    }

    func testSingleTokenHasNoTPOTAndNonStreamedHasNoTTFT() {
        var record = RequestRecord(id: 0, scheduledAt: 0, startedAt: 1, estimatedInputTokens: 4)
        record.chunks = [.init(time: 1.25, tokens: 1)]
        record.endedAt = 1.5
        let single = RequestMetrics(record)
        XCTAssertNil(single.tpot)
        XCTAssertEqual(try XCTUnwrap(single.ttft), 0.25, accuracy: 1e-12)
        let whole = RequestMetrics(record, streamed: false)
        XCTAssertNil(whole.ttft)
        XCTAssertEqual(try XCTUnwrap(whole.e2el), 0.5, accuracy: 1e-12)
    }

    func testOnlyEmptyChunksMeansNoFirstToken() {
        var record = RequestRecord(id: 0, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 4)
        record.chunks = [.init(time: 0.1, tokens: 0), .init(time: 0.2, tokens: 0)]
        record.endedAt = 0.3
        let metrics = RequestMetrics(record)
        XCTAssertTrue(metrics.succeeded)
        XCTAssertEqual(metrics.outputTokens, 0)
        XCTAssertNil(metrics.ttft)
        XCTAssertNil(metrics.tpot)
    }

    func testSLOs() throws {
        let fast = RequestMetrics(TimelineFixtures.withEmptyChunk), slow = RequestMetrics(TimelineFixtures.withoutUsage)
        let ttft = try ServiceLevelObjectives(ttftMs: 200)
        XCTAssertTrue(ttft.isMet(by: fast))
        XCTAssertFalse(ttft.isMet(by: slow))
        let all = try ServiceLevelObjectives(ttftMs: 400, tpotMs: 250, e2elMs: 1000)
        XCTAssertTrue(all.isMet(by: fast))
        XCTAssertFalse(all.isMet(by: slow), "TPOT 300 ms > 250 ms")
        XCTAssertFalse(all.isMet(by: RequestMetrics(TimelineFixtures.failedHalfWay)))
        XCTAssertThrowsError(try ServiceLevelObjectives(ttftMs: -1))
        XCTAssertTrue(ServiceLevelObjectives.none.isEmpty)
    }
}
