import Foundation
import StrataTestSupport
import XCTest

/// The keys of a `strata bench --json` report that vLLM's result files also have.
enum ReportKeys {
    static let vllm = [
        "date", "backend", "model_id", "num_prompts", "request_rate", "burstiness", "max_concurrency", "duration", "completed",
        "failed", "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput", "output_throughput",
        "total_token_throughput", "max_output_tokens_per_s", "max_concurrent_requests", "input_lens", "output_lens", "ttfts",
        "itls", "generated_texts", "errors",
    ] + ["ttft", "tpot", "itl", "e2el"].flatMap { stem in ["mean", "median", "std", "p90", "p95", "p99"].map { "\($0)_\(stem)_ms" } }
}

/// `strata bench` through the binary, without a server: option errors, an unreachable server
/// (every request fails as `connection`, reported, no hang), JSON output and `compare`.
final class BenchCommandTests: XCTestCase {
    private var strata: StrataBinary!
    private var directory: URL!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testUnreachableServerIsCountedNotFatal() throws {
        let port = try FreePort.find()
        let json = directory.appendingPathComponent("down.json").path
        let html = directory.appendingPathComponent("down.html").path
        let output = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(port)", "--model", "m", "--num-requests", "6", "--request-rate", "50",
            "--input-len", "16", "--output-len", "4", "--seed", "1", "--json", json, "--html", html,
        ])
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("Error: all 6 requests failed; first error (connection)"), output.stderr)
        let lines = output.stdout.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("Failed requests:") && $0.hasSuffix(" 6") }, output.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  connection:") && $0.hasSuffix(" 6") }, output.stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        for key in ReportKeys.vllm { XCTAssertNotNil(report[key], key) }
        XCTAssertEqual(report["completed"] as? Int, 0)
        XCTAssertEqual(report["failed"] as? Int, 6)
        XCTAssertEqual(report["errors_by_kind"] as? [String: Int], ["connection": 6])
        XCTAssertEqual((report["errors"] as? [String])?.count, 6)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<svg"))
    }

    func testExplicitRunSubcommandAndChatEndpoint() throws {
        let port = try FreePort.find()
        let output = try strata.run([
            "bench", "run", "--url", "http://127.0.0.1:\(port)/v1", "--model", "m", "--endpoint", "chat",
            "--num-requests", "2", "--max-concurrency", "1",
        ])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.split(separator: "\n").contains { $0.hasPrefix("  connection:") && $0.hasSuffix(" 2") }, output.stdout)
    }

    func testSweepReportsEveryRate() throws {
        let port = try FreePort.find()
        let json = directory.appendingPathComponent("sweep.json").path
        let output = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(port)", "--model", "m", "--num-requests", "3", "--sweep-rates", "20,40",
            "--json", json,
        ])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stdout.contains("Knee: not seen"), output.stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        XCTAssertEqual(report["rates"] as? [Double], [20, 40])
        XCTAssertEqual((report["sweep"] as? [[String: Any]])?.count, 2)
    }

    func testInvalidOptionsAreOneLineErrors() throws {
        let badURL = try strata.run(["bench", "--url", "localhost:8080", "--model", "m"])
        XCTAssertEqual(badURL.status, 1)
        XCTAssertTrue(badURL.stderr.contains("--url must be an http:// or https:// URL"), badURL.stderr)
        let badRate = try strata.run(["bench", "--url", "http://127.0.0.1:1", "--model", "m", "--request-rate", "-3"])
        XCTAssertNotEqual(badRate.status, 0)
        XCTAssertTrue(badRate.stderr.contains("--request-rate"), badRate.stderr)
        let unbounded = try strata.run(["bench", "--url", "http://127.0.0.1:1", "--model", "m", "--duration", "5"])
        XCTAssertNotEqual(unbounded.status, 0)
        XCTAssertTrue(unbounded.stderr.contains("needs a finite --request-rate or --max-concurrency"), unbounded.stderr)
        let noFile = try strata.run(["bench", "--url", "http://127.0.0.1:1", "--model", "m", "--dataset", "jsonl"])
        XCTAssertTrue(noFile.stderr.contains("needs --dataset-path"), noFile.stderr)
    }

    func testCompareTwoReports() throws {
        let a = directory.appendingPathComponent("a.json"), b = directory.appendingPathComponent("b.json")
        try Data(#"{"completed": 10, "failed": 0, "request_throughput": 2.0, "mean_ttft_ms": 100.0}"#.utf8).write(to: a)
        try Data(#"{"completed": 10, "failed": 1, "request_throughput": 3.0, "mean_ttft_ms": 50.0}"#.utf8).write(to: b)
        let output = try strata.run(["bench", "compare", a.path, b.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let line = try XCTUnwrap(output.stdout.split(separator: "\n").first { $0.hasPrefix("request_throughput") })
        XCTAssertTrue(line.hasSuffix("1.500"), String(line))
        let ttft = try XCTUnwrap(output.stdout.split(separator: "\n").first { $0.hasPrefix("mean_ttft_ms") })
        XCTAssertTrue(ttft.hasSuffix("0.500"), String(ttft))
        let bad = try strata.run(["bench", "compare", a.path, directory.appendingPathComponent("missing.json").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("cannot read the file"), bad.stderr)
    }

    func testABNeedsTwoModelsAndReportsAnUnreachableServer() throws {
        let one = try strata.run(["bench", "ab", "--url", "http://127.0.0.1:1", "--model", "a"])
        XCTAssertEqual(one.status, 1)
        XCTAssertTrue(one.stderr.contains("give exactly two models"), one.stderr)
        let port = try FreePort.find()
        let down = try strata.run([
            "bench", "ab", "--url", "http://127.0.0.1:\(port)", "--model", "a", "--model", "b", "--num-requests", "2",
        ])
        XCTAssertEqual(down.status, 1)
        XCTAssertTrue(down.stdout.contains("Outputs identical:       0 of 0"), down.stdout)
        XCTAssertTrue(down.stderr.contains("no request completed against both models"), down.stderr)
    }

    func testFileDatasetsThroughTheCommand() throws {
        let port = try FreePort.find()
        let replay = directory.appendingPathComponent("replay.jsonl")
        try Data("""
        {"timestamp": 10.0, "prompt": "one", "max_tokens": 2}
        {"timestamp": 10.1, "prompt": "two"}
        {"timestamp": 10.2, "prompt": "three"}

        """.utf8).write(to: replay)
        let json = directory.appendingPathComponent("replay.json").path
        let output = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(port)", "--model", "m", "--dataset", "replay", "--dataset-path", replay.path,
            "--json", json,
        ])
        XCTAssertEqual(output.status, 1)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let requests = try XCTUnwrap(report["requests"] as? [[String: Any]])
        let offsets = requests.compactMap { $0["scheduled_at"] as? Double }
        XCTAssertEqual(offsets.count, 3, "every entry, not the default 100")
        for (offset, expected) in zip(offsets, [0, 0.1, 0.2]) { XCTAssertEqual(offset, expected, accuracy: 1e-9, "recorded offsets") }
        let broken = directory.appendingPathComponent("broken.jsonl")
        try Data("{\"prompt\": \"ok\"}\nnot json\n".utf8).write(to: broken)
        let bad = try strata.run([
            "bench", "--url", "http://127.0.0.1:\(port)", "--model", "m", "--dataset", "jsonl", "--dataset-path", broken.path,
        ])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("broken.jsonl:2: not valid JSON"), bad.stderr)
    }

    /// The first SIGTERM stops sending, gives the requests in flight the grace period (they hang
    /// here, so they are cancelled), and still writes every report, marked interrupted.
    func testSignalStopsTheRunAndStillWritesTheReports() throws {
        let silent = try SilentServer()
        let json = directory.appendingPathComponent("interrupted.json").path
        let html = directory.appendingPathComponent("interrupted.html").path
        let bench = try RunningStrata(binary: strata, arguments: [
            "bench", "--url", "http://127.0.0.1:\(silent.port)", "--model", "m", "--num-requests", "50", "--request-rate", "5",
            "--timeout", "120", "--grace-period", "1", "--json", json, "--html", html,
        ])
        try waitForConnections(silent, bench)
        bench.signal(SIGTERM)
        let exit = try XCTUnwrap(bench.waitForExit(within: 30), "no exit after SIGTERM: " + bench.stderr)
        XCTAssertEqual(exit.status, 143, bench.stderr)
        XCTAssertLessThan(exit.seconds, 15, "bounded by the 1 s grace period, not the 120 s timeout")
        XCTAssertTrue(bench.stderr.contains("interrupted by SIGTERM"), bench.stderr)
        XCTAssertTrue(bench.stdout.contains("Interrupted:"), bench.stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        XCTAssertEqual(report["interrupted"] as? Bool, true)
        XCTAssertEqual(report["interrupt_signal"] as? String, "SIGTERM")
        let sent = try XCTUnwrap(report["num_prompts"] as? Int)
        XCTAssertGreaterThan(sent, 0)
        XCTAssertLessThan(sent, 50, "no requests after the signal")
        XCTAssertEqual(report["errors_by_kind"] as? [String: Int], ["interrupted": sent])
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("Interrupted by SIGTERM"))
    }

    /// A second signal aborts at once, without waiting for the grace period or writing reports.
    func testSecondSignalAborts() throws {
        let silent = try SilentServer()
        let json = directory.appendingPathComponent("aborted.json").path
        let bench = try RunningStrata(binary: strata, arguments: [
            "bench", "--url", "http://127.0.0.1:\(silent.port)", "--model", "m", "--num-requests", "5", "--timeout", "120",
            "--grace-period", "120", "--json", json,
        ])
        try waitForConnections(silent, bench)
        bench.signal(SIGINT)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(bench.process.isRunning, "the first signal waits for the requests in flight")
        bench.signal(SIGINT)
        let exit = try XCTUnwrap(bench.waitForExit(within: 20), "no exit after the second SIGINT: " + bench.stderr)
        XCTAssertEqual(exit.status, 130, bench.stderr)
        XCTAssertTrue(bench.stderr.contains("SIGINT again: aborting"), bench.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json))
    }

    /// Waits until `bench` has requests in flight at `server` (so its signal handling is set up).
    private func waitForConnections(_ server: SilentServer, _ bench: RunningStrata) throws {
        let start = Date()
        while server.connectionCount == 0, bench.process.isRunning, Date().timeIntervalSince(start) < 60 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertGreaterThan(server.connectionCount, 0, bench.stderr)
        Thread.sleep(forTimeInterval: 0.5)
    }
}
