@testable import StrataBench
import Foundation
import XCTest

/// The JSON report's keys (vLLM's names), the text table, comparison, sweep knee and HTML.
final class ReportTests: XCTestCase {
    private func result(rate: Double? = 2, records: [RequestRecord] = TimelineFixtures.all) throws -> BenchResult {
        try BenchResult(
            target: TargetServer(baseURL: "http://127.0.0.1:9", model: "m"), requestRate: rate, burstiness: 1, maxConcurrency: 4,
            slo: ServiceLevelObjectives(ttftMs: 200), records: records, duration: 2, warmupFailures: 0,
            check: LoadGeneratorCheck(cpuSeconds: 0.1, wallSeconds: 2, lateness: [0.001, 0.02])
        )
    }

    static let vllmKeys = [
        "completed", "failed", "duration", "request_throughput", "request_goodput", "output_throughput", "total_token_throughput",
        "total_input_tokens", "total_output_tokens", "max_output_tokens_per_s", "max_concurrent_requests", "input_lens",
        "output_lens", "ttfts", "itls", "generated_texts", "errors", "request_rate", "burstiness", "max_concurrency",
        "model_id", "num_prompts", "date",
    ] + ["ttft", "tpot", "itl", "e2el"].flatMap { stem in ["mean", "median", "std", "p90", "p95", "p99"].map { "\($0)_\(stem)_ms" } }

    func testJSONReportHasVLLMKeysAndRoundTrips() throws {
        let data = BenchReport.data(BenchReport.object(try result()))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in Self.vllmKeys { XCTAssertNotNil(object[key], key) }
        XCTAssertEqual(object["completed"] as? Int, 2)
        XCTAssertEqual(object["failed"] as? Int, 2)
        XCTAssertEqual(object["errors_by_kind"] as? [String: Int], ["incomplete_stream": 1, "unauthorized": 1])
        XCTAssertEqual(object["output_tokens_source"] as? String, "mixed")
        XCTAssertEqual(try XCTUnwrap(object["mean_ttft_ms"] as? Double), 200, accuracy: 0.2)
        XCTAssertEqual(object["output_lens"] as? [Int], [3, 2, 0, 0])
        XCTAssertEqual(object["late_requests"] as? Int, 1)
        let requests = try XCTUnwrap(object["requests"] as? [[String: Any]])
        XCTAssertEqual(requests.count, 4)
        XCTAssertEqual(requests[3]["error_kind"] as? String, "unauthorized")
        XCTAssertEqual(try XCTUnwrap(requests[0]["tpot_ms"] as? Double), 200, accuracy: 1e-9)
        let infinite = BenchReport.object(try result(rate: nil))
        XCTAssertEqual(infinite["request_rate"] as? String, "inf", "JSON has no infinity; vLLM's key, spelled as its flag")
    }

    func testTextTableNamesEveryMetricAndErrorKind() throws {
        let text = ReportTable.text(try result())
        for needle in ["Successful requests:", "Failed requests:", "unauthorized:", "incomplete_stream:", "Mean TTFT (ms):",
                       "P99 ITL (ms):", "Median TPOT (ms):", "Mean E2EL (ms):", "Request goodput (req/s):",
                       "Total generated tokens:                  5 (1 of 2 counted from chunks)"] {
            XCTAssertTrue(text.contains(needle), needle)
        }
    }

    func testComparisonRatios() throws {
        let a = BenchReport.object(try result())
        var b = a
        b["request_throughput"] = 2.0
        b["mean_ttft_ms"] = 100.0
        let comparison = BenchComparison(a: a, b: b)
        let throughput = try XCTUnwrap(comparison.rows.first { $0.key == "request_throughput" })
        XCTAssertEqual(try XCTUnwrap(throughput.ratio), 2, accuracy: 1e-12)
        let ttft = try XCTUnwrap(comparison.rows.first { $0.key == "mean_ttft_ms" })
        XCTAssertEqual(try XCTUnwrap(ttft.ratio), 0.5, accuracy: 1e-3)
        XCTAssertTrue(comparison.text(nameA: "a.json", nameB: "b.json").contains("request_throughput"))
    }

    func testKneeIsTheLastRateKeptUpWith() {
        let points = [(1.0, 1.0), (2, 1.98), (4, 3.7), (8, 4.1)].map {
            SweepSummary.Point(rate: $0.0, requestThroughput: $0.1, outputThroughput: 0, p99E2elMs: 0, meanTtftMs: 0)
        }
        XCTAssertEqual(SweepSummary(points: points).knee, 4)
        XCTAssertNil(SweepSummary(points: Array(points.prefix(2))).knee, "no bend seen")
        XCTAssertEqual(try SweepSummary.parseRates("1, 2,4.5"), [1, 2, 4.5])
        XCTAssertThrowsError(try SweepSummary.parseRates("1,x"))
    }

    func testHTMLIsSelfContainedWithCharts() throws {
        let results = [try result(rate: 1), try result(rate: 2)]
        let sweep = SweepSummary(rates: [1, 2], results: results)
        let html = HTMLReport.html(results: results, sweep: sweep)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2 + 2 * 3, "sweep curves, then CDF, throughput, concurrency per run")
        for needle in ["Latency CDFs", "Output throughput over time", "Concurrency over time", "Throughput vs offered rate"] {
            XCTAssertTrue(html.contains(needle), needle)
        }
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertFalse(html.contains("href="))
    }

    func testSVGEscapesAndScales() {
        let svg = SVGChart(title: "a<b", xLabel: "x", yLabel: "y", series: [.init(name: "s&t", points: [(0, 0), (3, 7)])]).svg()
        XCTAssertTrue(svg.contains("a&lt;b"))
        XCTAssertTrue(svg.contains("s&amp;t"))
        XCTAssertEqual(SVGChart.niceCeiling(7), 10)
        XCTAssertEqual(SVGChart.niceCeiling(0.22), 0.25)
        XCTAssertEqual(SVGChart.niceCeiling(0), 1)
    }
}

/// The load generator's self-check.
final class LoadGeneratorCheckTests: XCTestCase {
    func testWarningsForCPUAndLateStarts() {
        XCTAssertEqual(LoadGeneratorCheck(cpuSeconds: 0.2, wallSeconds: 2, lateness: [0, 0.005]).warnings, [])
        let busy = LoadGeneratorCheck(cpuSeconds: 1.5, wallSeconds: 2, lateness: [0.05, 0.002, 0.011])
        XCTAssertEqual(busy.cpuPercent, 75, accuracy: 1e-9)
        XCTAssertEqual(busy.lateCount, 2)
        XCTAssertEqual(busy.maxLatenessMs, 50, accuracy: 1e-9)
        XCTAssertEqual(busy.warnings.count, 2)
        XCTAssertTrue(busy.warnings[0].contains("75%"))
        XCTAssertEqual(LoadGeneratorCheck(cpuSeconds: 0.05, wallSeconds: 0.06, lateness: []).warnings, [], "too short to judge")
        XCTAssertGreaterThan(LoadGeneratorCheck.processCPUSeconds(), 0)
    }
}

/// The progress line's text (it is drawn only on a terminal).
final class ProgressLineTests: XCTestCase {
    func testTextShowsCountsAndRates() {
        let text = ProgressLine.text(ended: 10, total: 40, failed: 2, outputTokens: 300, inFlight: 4, elapsed: 5)
        XCTAssertEqual(text, "10/40 done  2.00 req/s  60.0 tok/s  2 errors  4 in flight  5.0 s")
        XCTAssertTrue(ProgressLine.text(ended: 1, total: nil, failed: 0, outputTokens: 0, inFlight: 0, elapsed: 0).hasPrefix("1 done"))
        XCTAssertFalse(ProgressLine(enabled: false).isEnabled)
    }
}
