@testable import StrataBench
import StrataTestSupport
import XCTest

/// Aggregates over recorded timelines, against hand-computed answers. Percentiles are
/// HdrHistogram's (nearest rank, 3 significant digits), so they are compared within 0.1 %.
final class BenchMetricsTests: XCTestCase {
    private func near(_ actual: Double, _ expected: Double, _ message: String = "", line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: max(1e-9, abs(expected) * 0.001), message, line: line)
    }

    func testAggregatesOfMixedRun() throws {
        let slo = try ServiceLevelObjectives(ttftMs: 200)
        let m = BenchMetrics(records: TimelineFixtures.all, duration: 2.0, slo: slo)
        XCTAssertEqual(m.completed, 2)
        XCTAssertEqual(m.failed, 2)
        XCTAssertEqual(m.failuresByKind, [.incompleteStream: 1, .unauthorized: 1])
        XCTAssertEqual(m.totalInputTokens, 18)
        XCTAssertEqual(m.totalOutputTokens, 5)
        XCTAssertEqual(m.outputTokensFromUsage, 1)
        near(m.requestThroughput, 1.0)
        near(m.outputThroughput, 2.5)
        near(m.totalTokenThroughput, 11.5)
        near(try XCTUnwrap(m.requestGoodput), 0.5)
        near(m.ttft.mean, 200)
        near(m.ttft.median, 100)
        near(m.ttft.p99, 300)
        near(m.ttft.std, 100)
        XCTAssertEqual(m.itl.count, 3)
        near(m.itl.mean, 400.0 / 3)
        near(m.itl.median, 100)
        near(m.itl.p99, 200)
        near(m.tpot.mean, 250)
        near(m.e2el.mean, 550)
        near(m.e2el.p99, 600)
        XCTAssertEqual(m.maxConcurrentRequests, 2, "D (0.2–0.25) overlaps A (0–0.5)")
    }

    func testTimeSeriesBucketsTokensAndConcurrency() {
        let series = TimeSeries(records: TimelineFixtures.all, bucketSeconds: 1)
        XCTAssertEqual(series.outputTokensPerSecond.count, 2)
        near(series.outputTokensPerSecond[0], 3, "A's 3 tokens; the failed C's do not count")
        near(series.outputTokensPerSecond[1], 2)
        near(series.concurrency[0], 0.5 + 0.4 + 0.05)
        near(series.concurrency[1], 0.6)
        near(series.requestsPerSecond[0], 3)
        near(series.requestsPerSecond[1], 1)
        let m = BenchMetrics(records: TimelineFixtures.all, duration: 2)
        near(m.maxOutputTokensPerSecond, 3)
        XCTAssertNil(m.requestGoodput, "no SLO, no goodput")
    }

    func testUsageCountsAreSpreadOverChunkTimes() {
        var record = TimelineFixtures.withoutUsage
        record.usage = Usage(promptTokens: 3, completionTokens: 6)
        let series = TimeSeries(records: [record], bucketSeconds: 1)
        near(series.outputTokensPerSecond.reduce(0, +), 6)
    }

    func testBackToBackRequestsDoNotOverlap() {
        var first = RequestRecord(id: 0, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 1)
        first.endedAt = 1
        var second = RequestRecord(id: 1, scheduledAt: 1, startedAt: 1, estimatedInputTokens: 1)
        second.endedAt = 2
        XCTAssertEqual(TimeSeries.maxConcurrency([first, second]), 1)
    }

    func testEmptyRunIsAllZeros() {
        let m = BenchMetrics(records: [], duration: 0)
        XCTAssertEqual(m.completed, 0)
        XCTAssertEqual(m.ttft, .empty)
        XCTAssertEqual(m.requestThroughput, 0)
    }

    func testLatencySummaryOfManyValues() {
        let values = (1 ... 1000).map { Double($0) / 1000 }
        let summary = LatencySummary(seconds: values)
        near(summary.mean, 500.5)
        near(summary.median, 500)
        near(summary.p90, 900)
        near(summary.p99, 990)
        near(summary.max, 1000)
        let cdf = LatencySummary.cdfPoints(seconds: values, points: 10)
        XCTAssertEqual(cdf.last?.fraction, 1)
        XCTAssertEqual(cdf.map(\.ms), cdf.map(\.ms).sorted())
    }

    /// What the README promises: nearest rank (a median of two values is the lower one), each
    /// percentile at most 0.1 % above the true sample (the top of its HdrHistogram bucket) and
    /// never below it, and never above the largest value.
    func testPercentilesAreNearestRankWithinATenthOfAPercent() {
        let two = LatencySummary(seconds: [0.020, 0.010])
        XCTAssertGreaterThanOrEqual(two.median, 10)
        XCTAssertLessThanOrEqual(two.median, 10.01, "the lower of the two, not their mean 15")
        XCTAssertEqual(two.p99, 20, "clamped to the largest value")
        var random = SplitMix64(seed: 7)
        for count in [1, 3, 10, 101, 997] {
            let values = (0 ..< count).map { _ in Double(random.next() % 5_000_000 + 1) / 1_000_000 } // 1 µs … 5 s
            let summary = LatencySummary(seconds: values)
            let sorted = values.map { ($0 * 1_000_000).rounded() / 1000 }.sorted() // ms at µs resolution
            for (percentile, reported) in [(50.0, summary.median), (90, summary.p90), (95, summary.p95), (99, summary.p99)] {
                let rank = max(1, Int((percentile.nextDown * Double(count) / 100).rounded(.up))) // as HdrHistogram rounds
                let truth = sorted[rank - 1]
                XCTAssertGreaterThanOrEqual(reported, truth - 1e-9, "p\(percentile) of \(count)")
                XCTAssertLessThanOrEqual(reported, truth * 1.001 + 1e-9, "p\(percentile) of \(count)")
                XCTAssertLessThanOrEqual(reported, sorted[count - 1] + 1e-9)
            }
        }
    }
}
