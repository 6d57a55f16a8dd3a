import Foundation
import StrataTestSupport
import XCTest

/// `strata bench` end to end against a real `strata serve` on the default model: a short
/// bounded run whose token counts match the server's own counters, a chat run, a 401 from a
/// server with an API key, and the HTML report rendered by headless Chromium.
final class BenchServeTests: XCTestCase {
    private var strata: StrataBinary!
    private var directory: URL!
    private let modelID = "gemma-3-270m-q4_k_m"

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func startServer(_ extra: [String] = []) throws -> ServeProcess {
        let model = try TestResources.requireDefaultModel()
        return try ServeProcess(
            binary: strata, arguments: ["--model", model, "--threads", "2", "--ctx-size", "1024", "--kv-cache-mb", "64"] + extra
        )
    }

    private func report(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// A counter's value in the server's Prometheus text (summed over its label sets).
    private func counter(_ name: String, in metrics: String) -> Double {
        metrics.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    func testShortRunMatchesTheServersOwnCounts() throws {
        let server = try startServer()
        let json = directory.appendingPathComponent("run.json").path
        let html = directory.appendingPathComponent("run.html").path
        let output = try strata.run([
            "bench", "--url", server.baseURL, "--model", modelID, "--num-requests", "8", "--input-len", "32",
            "--output-len", "16", "--ignore-eos", "--temperature", "0", "--max-concurrency", "4", "--request-rate", "20",
            "--seed", "3", "--slo-ttft", "600000", "--json", json, "--html", html,
        ])
        XCTAssertEqual(output.status, 0, output.stderr + server.log)
        let r = try report(json)
        for key in ReportKeys.vllm { XCTAssertNotNil(r[key], key) }
        XCTAssertEqual(r["completed"] as? Int, 8)
        XCTAssertEqual(r["failed"] as? Int, 0)
        XCTAssertEqual(r["output_tokens_source"] as? String, "usage")
        XCTAssertEqual(r["input_tokens_source"] as? String, "usage")
        XCTAssertEqual(r["total_output_tokens"] as? Int, 8 * 16, "ignore_eos: every request runs to max_tokens")
        XCTAssertEqual(r["request_goodput"] as? Double, r["request_throughput"] as? Double, "a 10-minute TTFT target is met by all")
        let requests = try XCTUnwrap(r["requests"] as? [[String: Any]])
        for request in requests {
            let textChunks = (request["chunk_tokens"] as? [Int] ?? []).reduce(0, +)
            XCTAssertLessThanOrEqual(textChunks, 16, "no more text chunks than tokens")
            XCTAssertGreaterThan(textChunks, 0)
            XCTAssertNotNil(request["ttft_ms"] as? Double)
        }
        let metrics = try runTool("/usr/bin/curl", ["-sS", server.baseURL + "/metrics"])
        XCTAssertEqual(metrics.status, 0, metrics.output)
        XCTAssertEqual(counter("strata_generation_tokens_total", in: metrics.output), Double(8 * 16), metrics.output)
        XCTAssertEqual(counter("strata_prompt_tokens_total", in: metrics.output), Double(try XCTUnwrap(r["total_input_tokens"] as? Int)))
        try assertChromiumRenders(html)
    }

    func testChatStreamsAndNonStreamedResponses() throws {
        let server = try startServer()
        for extra in [[String](), ["--no-stream"]] {
            let json = directory.appendingPathComponent("chat.json").path
            let output = try strata.run([
                "bench", "--url", server.baseURL + "/v1", "--model", modelID, "--endpoint", "chat", "--num-requests", "3",
                "--output-len", "8", "--max-concurrency", "3", "--json", json,
            ] + extra)
            XCTAssertEqual(output.status, 0, output.stderr)
            let r = try report(json)
            XCTAssertEqual(r["completed"] as? Int, 3, "\(extra)")
            XCTAssertGreaterThan(try XCTUnwrap(r["total_output_tokens"] as? Int), 0)
            XCTAssertEqual(r["output_tokens_source"] as? String, "usage")
            XCTAssertEqual(r["stream"] as? Bool, extra.isEmpty)
            XCTAssertEqual(try XCTUnwrap(r["mean_ttft_ms"] as? Double) > 0, extra.isEmpty, "no TTFT without streaming")
        }
    }

    func testMissingAPIKeyIsCountedAsUnauthorized() throws {
        let server = try startServer(["--api-key", "sekret"])
        let json = directory.appendingPathComponent("denied.json").path
        let denied = try strata.run([
            "bench", "--url", server.baseURL, "--model", modelID, "--num-requests", "4", "--output-len", "4", "--json", json,
        ])
        XCTAssertEqual(denied.status, 1)
        XCTAssertTrue(denied.stderr.contains("first error (unauthorized): 401"), denied.stderr)
        XCTAssertEqual(try report(json)["errors_by_kind"] as? [String: Int], ["unauthorized": 4])
        let allowed = try strata.run([
            "bench", "--url", server.baseURL, "--model", modelID, "--api-key", "sekret", "--num-requests", "2", "--output-len", "4",
        ])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stdout.split(separator: "\n").contains { $0.hasPrefix("Successful requests:") && $0.hasSuffix(" 2") })
    }

    /// `--http2` over plain http:// speaks HTTP/2 with prior knowledge: a relay in front of the
    /// server sees every connection open with the HTTP/2 preface, and the concurrent requests
    /// share one connection. Without `--http2` the same relay sees HTTP/1.1.
    func testHTTP2PriorKnowledgeMultiplexesOverOneConnection() async throws {
        let server = try startServer()
        let tap = try await TCPTap(target: server.port)
        let json = directory.appendingPathComponent("h2c.json").path
        let output = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(tap.port)", "--model", modelID, "--http2", "--num-requests", "6",
            "--max-concurrency", "6", "--input-len", "16", "--output-len", "8", "--ignore-eos", "--json", json,
        ])
        XCTAssertEqual(output.status, 0, output.stderr + server.log)
        let r = try report(json)
        XCTAssertEqual(r["completed"] as? Int, 6)
        XCTAssertEqual(r["http2"] as? Bool, true)
        XCTAssertEqual(r["total_output_tokens"] as? Int, 6 * 8)
        XCTAssertGreaterThan(try XCTUnwrap(r["mean_ttft_ms"] as? Double), 0, "streamed")
        XCTAssertEqual(tap.counts.total, 1, "six concurrent requests, one connection")
        XCTAssertEqual(tap.counts.http2, 1, "it opened with the HTTP/2 preface")
        let whole = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(tap.port)/v1", "--model", modelID, "--http2", "--no-stream", "--endpoint", "chat",
            "--num-requests", "2", "--output-len", "4",
        ])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(tap.counts.http2, tap.counts.total, "non-streamed chat over h2c too")
        await tap.stop()

        let plain = try await TCPTap(target: server.port)
        let http1 = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(plain.port)", "--model", modelID, "--num-requests", "2", "--max-concurrency", "2",
            "--output-len", "4",
        ])
        XCTAssertEqual(http1.status, 0, http1.stderr)
        XCTAssertGreaterThan(plain.counts.total, 0)
        XCTAssertEqual(plain.counts.http2, 0, "without --http2: HTTP/1.1")
        await plain.stop()
    }

    /// `bench ab --html`: both runs side by side and the output agreement, rendered by Chromium.
    func testABWritesAnHTMLReport() throws {
        let server = try startServer()
        let html = directory.appendingPathComponent("ab.html").path
        let output = try strata.run([
            "bench", "ab", "--url", server.baseURL, "--model", modelID, "--model", modelID, "--num-requests", "3",
            "--output-len", "6", "--input-len", "16", "--html", html,
        ])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("Outputs identical:       3 of 3"), output.stdout)
        let dom = try assertChromiumRenders(html)
        for text in ["Side by side", "Output agreement", "Outputs identical: 3 of 3", "A: \(modelID)", "B: \(modelID)", "TTFT CDF, A and B"] {
            XCTAssertTrue(dom.contains(text), text)
        }
        XCTAssertEqual(dom.components(separatedBy: ">identical</td>").count - 1, 3, "one row per request, all identical")
    }

    /// SIGINT in the middle of a run against a real server: no more requests, the ones in flight
    /// complete, and the reports cover what was sent, marked interrupted.
    func testSIGINTEndsARealRunWithItsReports() throws {
        let server = try startServer()
        let json = directory.appendingPathComponent("sigint.json").path
        let bench = try RunningStrata(binary: strata, arguments: [
            "bench", "--url", server.baseURL, "--model", modelID, "--num-requests", "200", "--request-rate", "4",
            "--input-len", "16", "--output-len", "4", "--grace-period", "60", "--json", json,
        ])
        let start = Date()
        var generated = 0.0
        while generated < 8, bench.process.isRunning, Date().timeIntervalSince(start) < 90 {
            Thread.sleep(forTimeInterval: 0.2)
            let metrics = try runTool("/usr/bin/curl", ["-sS", server.baseURL + "/metrics"])
            generated = counter("strata_generation_tokens_total", in: metrics.output)
        }
        XCTAssertGreaterThanOrEqual(generated, 8, "two requests completed before the signal")
        bench.signal(SIGINT)
        let exit = try XCTUnwrap(bench.waitForExit(within: 90), bench.stderr)
        XCTAssertEqual(exit.status, 130, bench.stderr)
        XCTAssertTrue(bench.stdout.contains("Interrupted:"), bench.stdout)
        let r = try report(json)
        XCTAssertEqual(r["interrupted"] as? Bool, true)
        XCTAssertEqual(r["interrupt_signal"] as? String, "SIGINT")
        let sent = try XCTUnwrap(r["num_prompts"] as? Int)
        XCTAssertLessThan(sent, 200)
        XCTAssertEqual(r["completed"] as? Int, sent, "the requests in flight finished within the grace period")
        XCTAssertGreaterThanOrEqual(sent, 2)
    }

    /// Opens the report in headless Chromium: the DOM it builds has the charts' lines, and the
    /// screenshot it takes is a real rendering (a blank page compresses to a few kilobytes).
    @discardableResult
    private func assertChromiumRenders(_ html: String) throws -> String {
        let chromium = try ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .map { $0 } ?? { throw MissingTestResource(description: "chromium not found; `make test` installs it") }()
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2400"]
        let dom = try runTool(chromium, flags + ["--dump-dom", "file://" + html])
        XCTAssertEqual(dom.status, 0, dom.output)
        XCTAssertGreaterThanOrEqual(dom.output.components(separatedBy: "<svg").count - 1, 3, "latency CDFs, throughput, concurrency")
        XCTAssertTrue(dom.output.contains("Latency CDFs"))
        let png = directory.appendingPathComponent("report.png")
        let shot = try runTool(chromium, flags + ["--screenshot=" + png.path, "file://" + html])
        XCTAssertEqual(shot.status, 0, shot.output)
        let data = try Data(contentsOf: png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertGreaterThan(data.count, 30_000, "charts drawn, not a blank page")
        return dom.output
    }
}
