import Foundation
import StrataTestSupport
import XCTest

/// `strata serve` over catalog versions, as users run it: two versions of the default model
/// side by side (the file, and a copy with a trailer so it has another digest), routing by
/// reference, deprecation headers, 404s, an alias moved under a stream in flight, the admin
/// API with named keys, and retirement refused while a server holds the version.
final class CatalogServeTests: XCTestCase {
    private var strata: StrataBinary!
    private var directory = ""
    private var catalog: String { directory + "/catalog" }
    private var first = ""   // gemma@sha256:… of the default model file (label a)
    private var second = ""  // gemma@sha256:… of the copy with a trailer (label b)
    private let golden = " the capital of the country of France."
    private let adminSecret = "ops-secret-0123456789abcdef"

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-catalog-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let model = try TestResources.requireDefaultModel()
        let copy = directory + "/gemma-b.gguf"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: model), options: .alwaysMapped)
        try (bytes + Data("strata test variant b".utf8)).write(to: URL(fileURLWithPath: copy))
        first = try importVersion(model, label: "a")
        second = try importVersion(copy, label: "b")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func importVersion(_ path: String, label: String) throws -> String {
        let output = try strata.run(["models", "import", path, "--name", "gemma", "--label", label, "--json", "--catalog", catalog])
        XCTAssertEqual(output.status, 0, output.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["reference"] as? String)
    }

    /// Runs `strata models ARGS --catalog DIR`.
    private func models(_ arguments: [String]) throws -> StrataBinary.Output {
        try strata.run(["models"] + arguments + ["--catalog", catalog])
    }

    private struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
        func object() throws -> [String: Any] {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], body)
        }
    }

    /// One request through curl, with the response headers (names lowercased).
    private func request(_ server: ServeProcess, _ path: String, json: String? = nil, key: String? = nil) throws -> Answer {
        let headerFile = directory + "/headers-\(UUID().uuidString)"
        var arguments = ["-sS", "-D", headerFile, "-w", "\n%{http_code}"]
        if let json { arguments += ["-H", "Content-Type: application/json", "-d", json] }
        if let key { arguments += ["-H", "Authorization: Bearer \(key)"] }
        let result = try runTool("/usr/bin/curl", arguments + [server.baseURL + path])
        XCTAssertEqual(result.status, 0, result.output)
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.removeLast()) ?? 0
        var headers: [String: String] = [:]
        for line in try String(contentsOfFile: headerFile, encoding: .utf8).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: lines.joined(separator: "\n"))
    }

    private func completion(_ server: ServeProcess, model: String) throws -> Answer {
        try request(server, "/v1/completions", json: #"{"model": "\#(model)", "prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}"#)
    }

    private func startServer() throws -> ServeProcess {
        try ServeProcess(binary: strata, arguments: [
            "--catalog", catalog, "--model", "gemma", "--model", String(second.prefix("gemma@sha256:".count + 12)),
            "--threads", "2", "--ctx-size", "2048", "--kv-cache-mb", "64", "--kv-cache-mb", "48",
            "--admin-key", "ops=\(adminSecret)",
        ])
    }

    func testTwoVersionsSideBySide() throws {
        let server = try startServer()
        // Both are listed, with digests, labels, aliases and status.
        let listed = try XCTUnwrap(try request(server, "/v1/models").object()["data"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["id"] as? String }, [first, second])
        XCTAssertEqual(listed.compactMap { $0["label"] as? String }, ["a", "b"])
        XCTAssertEqual(listed.compactMap { $0["digest"] as? String }, [first, second].map { "sha256:" + $0.dropFirst("gemma@sha256:".count) })
        XCTAssertEqual(listed.compactMap { $0["aliases"] as? [String] }, [["gemma:latest"], []])
        XCTAssertEqual(listed.compactMap { $0["status"] as? String }, ["active", "active"])

        // Each reference routes to its version; both give the default model's greedy text.
        for (model, expected) in [("gemma", first), ("gemma:latest", first), (first, first), (String(second.prefix(20)), second), (second, second)] {
            let answer = try completion(server, model: model)
            XCTAssertEqual(answer.status, 200, answer.body)
            XCTAssertEqual(answer.headers["x-strata-model-version"], expected, model)
            let object = try answer.object()
            XCTAssertEqual(object["model"] as? String, expected)
            XCTAssertEqual(object["system_fingerprint"] as? String, "fp_" + expected.dropFirst("gemma@sha256:".count).prefix(16))
            XCTAssertEqual(((object["choices"] as? [[String: Any]])?.first)?["text"] as? String, golden, model)
            XCTAssertNil(answer.headers["deprecation"])
        }
        // Unknown names and aliases: 404 error objects.
        for model in ["gemma:nope", "llama", "gemma@sha256:0000"] {
            let answer = try completion(server, model: model)
            XCTAssertEqual(answer.status, 404, model)
            XCTAssertEqual((try answer.object()["error"] as? [String: Any])?["code"] as? String, "model_not_found", answer.body)
        }

        // Deprecating the second version (from the CLI, while the server runs) shows on its answers only.
        XCTAssertEqual(try models(["deprecate", second, "--note", "moving to a", "--sunset", "2027-06-30"]).status, 0)
        let deprecated = try completion(server, model: second)
        XCTAssertEqual(deprecated.status, 200, "a deprecated version keeps serving")
        XCTAssertTrue(deprecated.headers["deprecation"]?.hasPrefix("@") == true, "\(deprecated.headers)")
        XCTAssertEqual(deprecated.headers["sunset"], "Wed, 30 Jun 2027 00:00:00 GMT")
        XCTAssertTrue(deprecated.headers["warning"]?.hasPrefix("299 strata \"\(second) (b) is deprecated: moving to a") == true, "\(deprecated.headers)")
        XCTAssertNil(try completion(server, model: "gemma").headers["deprecation"])

        // Retiring a loaded version is refused, from the CLI (the server's lease) and the admin API.
        let cliRetire = try models(["retire", second])
        XCTAssertEqual(cliRetire.status, 1)
        XCTAssertTrue(cliRetire.stderr.contains("loaded by a running server"), cliRetire.stderr)
        XCTAssertEqual(try request(server, "/admin/v1/retire", json: #"{"reference": "\#(second)"}"#).status, 401)
        let adminRetire = try request(server, "/admin/v1/retire", json: #"{"reference": "\#(second)"}"#, key: adminSecret)
        XCTAssertEqual(adminRetire.status, 409, adminRetire.body)

        XCTAssertEqual(server.terminate(), 0, server.log)
        // Once the server is gone, its lease no longer holds the version.
        let retired = try models(["retire", second])
        XCTAssertEqual(retired.status, 0, retired.stderr)
    }

    func testMovingTheAliasRoutesNewRequestsWhileAStreamFinishesOnItsVersion() throws {
        let server = try startServer()
        let output = directory + "/stream.txt"
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = [
            "-sS", "-N", "-o", output, "-H", "Content-Type: application/json", "-d",
            #"{"model": "gemma", "prompt": "Tell me a story.", "max_tokens": 40, "ignore_eos": true, "stream": true}"#,
            server.baseURL + "/v1/completions",
        ]
        try curl.run()
        while curl.isRunning, ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").components(separatedBy: "data: ").count < 3 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(curl.isRunning, "the stream ended before the alias could move")
        // Move gemma:latest through the admin API: audited under the key's name.
        let moved = try request(server, "/admin/v1/alias/set", json: #"{"alias": "gemma:latest", "reference": "\#(second)"}"#, key: adminSecret)
        XCTAssertEqual(moved.status, 200, moved.body)
        XCTAssertEqual(try moved.object()["old"] as? String, first)
        let next = try completion(server, model: "gemma")
        XCTAssertEqual(next.headers["x-strata-model-version"], second, "new requests follow the alias")
        XCTAssertEqual(try request(server, "/v1/completions", json: #"{"prompt": "Hi", "max_tokens": 1}"#).headers["x-strata-model-version"],
                       second, "so does a request without model (the server's --model gemma)")
        curl.waitUntilExit()
        let stream = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(stream.hasSuffix("data: [DONE]\n\n"), stream)
        let chunks = stream.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: {") }
        XCTAssertGreaterThan(chunks.count, 10)
        XCTAssertTrue(chunks.allSatisfy { $0.contains(#""model":"\#(first)""#) }, "the stream stays on the version it resolved")
        XCTAssertEqual(server.terminate(), 0, server.log)

        let audit = try models(["audit", "gemma", "--json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        let last = try XCTUnwrap(entries.last)
        XCTAssertEqual(last["action"] as? String, "alias.set")
        XCTAssertEqual(last["actor"] as? String, "ops")
        XCTAssertEqual(last["old"] as? String, first)
        XCTAssertEqual(last["new"] as? String, second)
    }

    func testGenerateTokenizeAndWorkerTakeReferences() throws {
        let generated = try strata.run([
            "generate", "--catalog", catalog, "--model", "gemma:latest", "--prompt", "The capital of France is",
            "--max-tokens", "8", "--temperature", "0", "--threads", "2",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertEqual(generated.stdout.trimmingCharacters(in: .newlines), golden)
        // STRATA_CATALOG stands for --catalog; a digest prefix is a reference too.
        let tokenized = try strata.run(
            ["tokenize", "--model", String(second.prefix(20)), "--text", "The capital of France is"],
            environment: ["STRATA_CATALOG": catalog])
        XCTAssertEqual(tokenized.status, 0, tokenized.stderr)
        XCTAssertEqual(tokenized.stdout, "[818, 5279, 529, 7001, 563]\n")
        let unknown = try strata.run(["tokenize", "--catalog", catalog, "--model", "gemma:nope", "--text", "x"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("has no alias 'nope'"), unknown.stderr)
        let neither = try strata.run(["tokenize", "--catalog", catalog, "--model", "/no/such/file.gguf", "--text", "x"])
        XCTAssertEqual(neither.status, 1)
        XCTAssertTrue(neither.stderr.contains("neither a file nor a catalog reference"), neither.stderr)

        // strata serve refuses the same version twice, and KV budgets that do not match the models.
        let twice = try strata.run(["serve", "--catalog", catalog, "--model", "gemma", "--model", first, "--port", "0"])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("are the same model (\(first))"), twice.stderr)
        let budgets = try strata.run(["serve", "--catalog", catalog, "--model", "gemma", "--model", second,
                                      "--kv-cache-mb", "8", "--kv-cache-mb", "8", "--kv-cache-mb", "8"])
        XCTAssertNotEqual(budgets.status, 0)
        XCTAssertTrue(budgets.stderr.contains("one per --model"), budgets.stderr)

        // The worker loads the version's blob and announces its digest.
        let worker = Process()
        worker.executableURL = strata.url
        worker.arguments = ["worker", "--catalog", catalog, "--model", second, "--layers", "0:", "--listen", "127.0.0.1:0",
                            "--cluster-token", "token-0123456789", "--threads", "1", "--kv-cache-mb", "16"]
        let pipe = Pipe()
        worker.standardOutput = pipe
        try worker.run()
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        worker.terminate()
        worker.waitUntilExit()
        XCTAssertTrue(line.contains("model " + second.dropFirst("gemma@sha256:".count)), line)
    }
}
