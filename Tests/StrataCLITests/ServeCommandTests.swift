import Foundation
import StrataTestSupport
import XCTest

/// `strata serve` as users run it: curl over HTTP/1.1 and h2c, nghttp and h2load over h2c,
/// a client that goes away mid-stream, and SIGTERM while a stream is in flight.
final class ServeCommandTests: XCTestCase {
    private let greedy = #"{"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}"#
    private let golden = " the capital of the country of France."

    private func startServer(_ extra: [String] = []) throws -> ServeProcess {
        let model = try TestResources.requireDefaultModel()
        return try ServeProcess(
            binary: try StrataBinary.locate(),
            arguments: ["--model", model, "--threads", "2", "--ctx-size", "2048", "--kv-cache-mb", "64"] + extra)
    }

    private func text(ofCompletion json: String) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return ((object?["choices"] as? [[String: Any]])?.first)?["text"] as? String
    }

    private func writeBody(_ body: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-body-\(UUID().uuidString).json")
        try body.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testHTTP1AndH2CPriorKnowledgeOnOnePort() throws {
        let server = try startServer()
        let url = server.baseURL + "/v1/completions"
        for version in ["--http1.1", "--http2-prior-knowledge"] {
            let result = try runTool("/usr/bin/curl", [
                "-sS", version, "-H", "Content-Type: application/json", "-d", greedy, "-w", "\n%{http_version}", url,
            ])
            XCTAssertEqual(result.status, 0, result.output)
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.last.map(String.init), version == "--http1.1" ? "1.1" : "2")
            XCTAssertEqual(try text(ofCompletion: lines.dropLast().joined(separator: "\n")), golden, version)
        }
        // nghttp speaks h2c with prior knowledge to http:// URLs.
        let body = try writeBody(greedy)
        let nghttp = try runTool("/usr/bin/nghttp", ["-d", body, "-H", "content-type: application/json", url])
        XCTAssertEqual(nghttp.status, 0, nghttp.output)
        XCTAssertEqual(try text(ofCompletion: nghttp.output), golden)
        let streamBody = try writeBody(#"{"prompt": "Hello", "max_tokens": 4, "stream": true}"#)
        let stream = try runTool("/usr/bin/nghttp", ["-d", streamBody, "-H", "content-type: application/json", url])
        XCTAssertTrue(stream.output.hasSuffix("data: [DONE]\n\n"), stream.output)
        // A burst of concurrent streams on one h2c connection all succeed.
        let shortBody = try writeBody(#"{"prompt": "Hi", "max_tokens": 4}"#)
        let burst = try runTool("/usr/bin/h2load", [
            "-n", "16", "-c", "1", "-m", "16", "-d", shortBody, "-H", "content-type: application/json", url,
        ])
        XCTAssertEqual(burst.status, 0, burst.output)
        XCTAssertTrue(burst.output.contains("16 succeeded, 0 failed"), burst.output)
        XCTAssertTrue(burst.output.contains("status codes: 16 2xx"), burst.output)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    /// One log line per request names its id, which the response carries as `x-request-id`.
    func testEveryRequestIsLoggedUnderTheIDItsResponseCarries() throws {
        let server = try startServer()
        let result = try runTool("/usr/bin/curl", [
            "-sS", "-D", "-", "-o", "/dev/null", "-H", "Content-Type: application/json", "-d", greedy,
            server.baseURL + "/v1/completions",
        ])
        XCTAssertEqual(result.status, 0, result.output)
        let header = result.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-request-id:") }
        let requestID = try XCTUnwrap(header?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces), result.output)
        XCTAssertTrue(requestID.hasPrefix("req-"), requestID)
        XCTAssertEqual(server.terminate(), 0, server.log)
        let line = server.log.split(separator: "\n").first { $0.contains(requestID) }
        XCTAssertTrue(line?.contains("POST /v1/completions 200") == true, server.log)
    }

    func testClientDisconnectCancelsTheEngineRequest() throws {
        try checkDisconnectCancels(stream: true, http2: false)
    }

    func testClientDisconnectCancelsANonStreamedRequest() throws {
        // Over HTTP/1.1 nothing is written until the end, so only the end of the client's side
        // of the connection can tell; over h2c the HTTP/2 stream closes with the connection.
        try checkDisconnectCancels(stream: false, http2: false)
        try checkDisconnectCancels(stream: false, http2: true)
    }

    /// Connections that never sent a byte (idle, or closed by their client only after the
    /// SIGTERM: the CLOSE-WAIT connection once seen to hang a shutdown) must not hold the
    /// drain: the server exits 0 long before `--drain-timeout`. `terminate(patience:)` kills
    /// a server still running after 20 s, which fails the status check.
    func testShutdownIsNotHeldByConnectionsThatNeverSentARequest() throws {
        let server = try startServer(["--drain-timeout", "60"])
        let idle = try RawConnection(port: server.port)
        let leaving = try RawConnection(port: server.port)
        let partial = try RawConnection(port: server.port)
        try partial.send("PRI * HTTP/2")
        Thread.sleep(forTimeInterval: 0.2)
        server.process.terminate()
        Thread.sleep(forTimeInterval: 0.2)
        leaving.close()
        XCTAssertEqual(server.terminate(patience: 20), 0, server.log)
        idle.close()
        partial.close()
    }

    /// A client leaves while its request runs; the engine must stop long before `max_tokens`.
    private func checkDisconnectCancels(stream: Bool, http2: Bool) throws {
        let server = try startServer()
        let maxTokens = 1500
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = [
            "-sS", "-N", http2 ? "--http2-prior-knowledge" : "--http1.1", "-o", "/dev/null",
            "-H", "Content-Type: application/json", "-d",
            #"{"prompt": "Tell me a story.", "max_tokens": \#(maxTokens), "ignore_eos": true, "stream": \#(stream)}"#,
            server.baseURL + "/v1/completions",
        ]
        try curl.run()
        func metrics() throws -> String { try runTool("/usr/bin/curl", ["-sS", server.baseURL + "/metrics"]).output }
        // Leave once the engine has made a few tokens for it.
        while curl.isRunning, (metricValue("strata_engine_steps", in: try metrics()) ?? 0) < 4 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(curl.isRunning, "the request ended before the client could leave")
        curl.terminate()
        curl.waitUntilExit()
        // Wait until the engine has nothing running, then check it stopped long before max_tokens.
        var exposition = ""
        repeat {
            Thread.sleep(forTimeInterval: 0.1)
            exposition = try metrics()
        } while metricValue("strata_requests_running", in: exposition) != 0
        let taken = try XCTUnwrap(metricValue("strata_engine_steps", in: exposition), exposition)
        XCTAssertLessThan(taken, Double(maxTokens / 2), "the request kept running after its client left")
        XCTAssertEqual(metricValue("strata_kv_cache_usage_ratio", in: exposition), 0, exposition)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    func testTLSWithALPNServesHTTP2AndHTTP1() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try runTool("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost",
        ])
        XCTAssertEqual(openssl.status, 0, openssl.output)
        let server = try startServer(["--tls-cert", certificate, "--tls-key", key])
        let url = "https://127.0.0.1:\(server.port)/v1/completions"
        for (version, expected) in [("--http2", "2"), ("--http1.1", "1.1")] {
            let result = try runTool("/usr/bin/curl", [
                "-sS", "-k", version, "-H", "Content-Type: application/json", "-d", greedy, "-w", "\n%{http_version}", url,
            ])
            XCTAssertEqual(result.status, 0, result.output)
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.last.map(String.init), expected)
            XCTAssertEqual(try text(ofCompletion: lines.dropLast().joined(separator: "\n")), golden, version)
        }
        // A TLS connection that never finished its handshake does not hold the shutdown either.
        let idle = try RawConnection(port: server.port)
        XCTAssertEqual(server.terminate(patience: 20), 0, server.log)
        idle.close()
    }

    func testOverloadIs429() throws {
        let server = try startServer(["--max-running", "1", "--max-waiting", "1"])
        // Long answers, so the first two are still in (one running, one waiting) while the burst arrives.
        let body = try writeBody(#"{"prompt": "Tell me a story.", "max_tokens": 160, "ignore_eos": true}"#)
        let url = server.baseURL + "/v1/completions"
        let burst = try runTool("/usr/bin/h2load", [
            "-n", "6", "-c", "1", "-m", "6", "-d", body, "-H", "content-type: application/json", url,
        ])
        let counts = try XCTUnwrap(statusCounts(in: burst.output), burst.output)
        XCTAssertEqual(counts.success + counts.clientError, 6, burst.output)
        XCTAssertGreaterThanOrEqual(counts.success, 2, "the running and the waiting request are served")
        XCTAssertGreaterThanOrEqual(counts.clientError, 3, "requests beyond running + waiting are refused")
        let metrics = try runTool("/usr/bin/curl", ["-sS", server.baseURL + "/metrics"]).output
        XCTAssertTrue(
            metrics.contains(#"strata_http_requests_total{endpoint="/v1/completions",status="429"} \#(counts.clientError)"#),
            metrics)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    /// The 2xx and 4xx counts of h2load's "status codes: A 2xx, B 3xx, C 4xx, D 5xx" line.
    private func statusCounts(in output: String) -> (success: Int, clientError: Int)? {
        guard let success = output.firstMatch(of: /(\d+) 2xx/).flatMap({ Int($0.1) }),
              let clientError = output.firstMatch(of: /(\d+) 4xx/).flatMap({ Int($0.1) })
        else { return nil }
        return (success, clientError)
    }

    func testOpenAIPythonSDK() throws {
        guard let python = ProcessInfo.processInfo.environment["STRATA_OPENAI_PYTHON"], !python.isEmpty else {
            throw MissingTestResource(description: "STRATA_OPENAI_PYTHON is not set; `make openai-sdk` installs the SDK")
        }
        let script = TestResources.packageRoot.appendingPathComponent("Tests/OpenAIClient/check_openai_sdk.py").path
        let server = try startServer(["--api-key", "test-key"])
        let result = try runTool(python, [script, server.baseURL, "test-key"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("openai SDK checks passed"), result.output)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }

    /// The value of an unlabelled series in a Prometheus exposition.
    private func metricValue(_ name: String, in exposition: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .flatMap { Double($0.dropFirst(name.count + 1)) }
    }

    func testSIGTERMDrainsAnInFlightStreamAndExitsZero() throws {
        let server = try startServer()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("strata-drain-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: output) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = [
            "-sS", "-N", "-o", output.path, "-H", "Content-Type: application/json", "-d",
            #"{"prompt": "Tell me a story.", "max_tokens": 48, "ignore_eos": true, "stream": true, "stream_options": {"include_usage": true}}"#,
            server.baseURL + "/v1/completions",
        ]
        try curl.run()
        while curl.isRunning, ((try? String(contentsOf: output, encoding: .utf8)) ?? "").components(separatedBy: "data: ").count < 3 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let status = server.terminate()  // SIGTERM, then the drain
        curl.waitUntilExit()
        XCTAssertEqual(curl.terminationStatus, 0)
        let stream = try String(contentsOf: output, encoding: .utf8)
        XCTAssertTrue(stream.hasSuffix("data: [DONE]\n\n"), stream)
        XCTAssertTrue(stream.contains(#""finish_reason":"length""#), stream)
        XCTAssertTrue(stream.contains(#""completion_tokens":48"#), stream)
        XCTAssertEqual(status, 0, server.log)
    }
}
