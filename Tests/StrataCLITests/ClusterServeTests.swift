import Foundation
import StrataTestSupport
import XCTest

/// `strata serve --worker ...`: the coordinator over real worker processes, driven with curl.
final class ClusterServeTests: XCTestCase {
    private let token = "serve-cluster-token"
    private let greedy = #"{"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}"#
    private let golden = " the capital of the country of France."

    /// Starts `strata worker` for `layers` (on `port`, 0 for any) and returns it with its port.
    private func startWorker(_ layers: String, port: Int = 0) throws -> (Process, Int) {
        let worker = try LaunchedWorker([
            "--listen", "127.0.0.1:\(port)", "--model", try TestResources.requireDefaultModel(), "--layers", layers,
            "--threads", "1", "--ctx-size", "256", "--kv-cache-mb", "16", "--cluster-token", token,
        ])
        return (worker.process, worker.port)
    }

    private func status(_ url: String) throws -> String {
        try runTool("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", url]).output
    }

    private func completionText(_ server: ServeProcess) throws -> String? {
        let result = try runTool("/usr/bin/curl", ["-sS", "-H", "Content-Type: application/json", "-d", greedy,
                                                   server.baseURL + "/v1/completions"])
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        return ((object?["choices"] as? [[String: Any]])?.first)?["text"] as? String
    }

    /// Polls `url` until it answers `expected` (at most a minute, on a busy machine).
    private func waitFor(_ expected: String, at url: String) throws -> Bool {
        for _ in 0 ..< 600 {
            if try status(url) == expected { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func testServeOverTwoWorkersIsReadyOnlyWithTheFullPipeline() throws {
        var workers = [try startWorker("0:9"), try startWorker("9:18")]
        defer { for (process, _) in workers where process.isRunning { process.terminate(); process.waitUntilExit() } }
        let server = try ServeProcess(binary: try StrataBinary.locate(), arguments: [
            "--model", try TestResources.requireDefaultModel(), "--cluster-token", token,
            "--worker", "http://127.0.0.1:\(workers[0].1)", "--worker", "http://127.0.0.1:\(workers[1].1)",
        ])
        XCTAssertTrue(try waitFor("200", at: server.baseURL + "/ready"), server.log)
        XCTAssertEqual(try completionText(server), golden)

        kill(workers[1].0.processIdentifier, SIGKILL)
        workers[1].0.waitUntilExit()
        XCTAssertTrue(try waitFor("503", at: server.baseURL + "/ready"), "not ready while a stage is down")

        workers[1] = try startWorker("9:18", port: workers[1].1)
        XCTAssertTrue(try waitFor("200", at: server.baseURL + "/ready"), server.log)
        XCTAssertEqual(try completionText(server), golden)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    func testServeRefusesWorkersThatDoNotTileTheModel() throws {
        let (worker, port) = try startWorker("0:9")
        defer { worker.terminate(); worker.waitUntilExit() }
        let result = try StrataBinary.locate().run([
            "serve", "--port", "0", "--model", try TestResources.requireDefaultModel(), "--cluster-token", token,
            "--worker", "127.0.0.1:\(port)",
        ])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("the stages end at layer 9 of 18"), result.stderr)
    }

    /// A worker lost in the middle of requests: a whole answer becomes a 503 (`backend_failed`),
    /// a stream that already started ends with `finish_reason: "error"` and an error event; while
    /// the stage is down new requests get 503 (`not_ready`) at once; once it is back, serving
    /// resumes with the same output.
    func testAWorkerLostMidRequestIs503AndServingResumesWhenItIsBack() throws {
        var workers = [try startWorker("0:9"), try startWorker("9:18")]
        defer { for (process, _) in workers where process.isRunning { process.terminate(); process.waitUntilExit() } }
        let server = try ServeProcess(binary: try StrataBinary.locate(), arguments: [
            "--model", try TestResources.requireDefaultModel(), "--cluster-token", token, "--step-timeout", "5",
            "--worker", "http://127.0.0.1:\(workers[0].1)", "--worker", "http://127.0.0.1:\(workers[1].1)",
        ])
        XCTAssertTrue(try waitFor("200", at: server.baseURL + "/ready"), server.log)

        for stream in [false, true] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("strata-lost-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = [
                "-sS", "-N", "-o", output.path, "-w", "%{http_code}", "-H", "Content-Type: application/json", "-d",
                #"{"prompt": "Tell me a story.", "max_tokens": 200, "ignore_eos": true, "stream": \#(stream)}"#,
                server.baseURL + "/v1/completions",
            ]
            let statusPipe = Pipe()
            curl.standardOutput = statusPipe
            try curl.run()
            let stepsAtStart = metric("strata_engine_steps", server) ?? 0
            while curl.isRunning, (metric("strata_engine_steps", server) ?? 0) < stepsAtStart + 4 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(workers[1].0.processIdentifier, SIGKILL)
            workers[1].0.waitUntilExit()
            curl.waitUntilExit()
            let status = String(decoding: statusPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let body = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if stream {
                XCTAssertEqual(status, "200", body)
                XCTAssertTrue(body.contains(#""finish_reason":"error""#), body)
                XCTAssertTrue(body.contains(#""code":"backend_failed""#), body)
                XCTAssertTrue(body.hasSuffix("data: [DONE]\n\n"), body)
            } else {
                XCTAssertEqual(status, "503", body)
                XCTAssertTrue(body.contains(#""code":"backend_failed""#), body)
            }
            XCTAssertTrue(try waitFor("503", at: server.baseURL + "/ready"), "not ready while a stage is down")
            let refused = try runTool("/usr/bin/curl", [
                "-sS", "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "-d", greedy,
                server.baseURL + "/v1/completions",
            ])
            XCTAssertTrue(refused.output.hasSuffix("\n503"), refused.output)
            XCTAssertTrue(refused.output.contains(#""code":"not_ready""#), refused.output)

            workers[1] = try startWorker("9:18", port: workers[1].1)
            XCTAssertTrue(try waitFor("200", at: server.baseURL + "/ready"), server.log)
            XCTAssertEqual(try completionText(server), golden)
            XCTAssertEqual(metric("strata_kv_cache_usage_ratio", server), 0, "the failed requests' blocks are free")
        }
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    private func metric(_ name: String, _ server: ServeProcess) -> Double? {
        let exposition = (try? runTool("/usr/bin/curl", ["-sS", server.baseURL + "/metrics"]).output) ?? ""
        return exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .flatMap { Double($0.dropFirst(name.count + 1)) }
    }
}
