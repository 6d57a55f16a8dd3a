import Foundation
import StrataTestSupport
import XCTest

/// A `strata serve` process on a free port, for tests that talk to it with real clients.
final class ServeProcess {
    let process = Process()
    let port: Int
    private let logURL: URL

    /// Starts `strata serve` with `arguments` on port 0 and waits for its "listening" line.
    /// With `launcher` (an executable and its arguments, e.g. `ip netns exec NAME`), that
    /// program is run with the strata command line appended.
    init(binary: StrataBinary, arguments: [String], launcher: [String] = []) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("strata-serve-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw MissingTestResource(description: "cannot create \(logURL.path)")
        }
        let log = try FileHandle(forWritingTo: logURL)
        let command = launcher + [binary.url.path, "serve", "--port", "0"] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = log
        process.standardError = log
        try process.run()
        var found: Int?
        // The model loads in about a second; give a busy machine two minutes.
        for _ in 0 ..< 1200 where found == nil && process.isRunning {
            found = Self.port(in: (try? String(contentsOf: logURL, encoding: .utf8)) ?? "")
            if found == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let found else {
            process.terminate()
            throw MissingTestResource(description: "strata serve did not start: " + ((try? String(contentsOf: logURL, encoding: .utf8)) ?? ""))
        }
        port = found
    }

    /// Everything the server logged so far.
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private static func port(in log: String) -> Int? {
        // "strata serve: MODEL listening on http://127.0.0.1:PORT" (https with TLS)
        guard let line = log.split(separator: "\n").first(where: { $0.hasPrefix("strata serve:") }),
              let range = line.range(of: "://127.0.0.1:")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// Sends SIGTERM and waits for the exit status. A server still running after `patience`
    /// seconds is killed (SIGKILL, status 9), so a shutdown that hangs fails the test instead of
    /// hanging the suite.
    func terminate(patience: Double = 60) -> Int32 {
        process.terminate()
        var waited = 0.0
        while process.isRunning, waited < patience {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 0.05
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { _ = terminate() }
        try? FileManager.default.removeItem(at: logURL)
    }
}

/// Runs a client tool (curl, nghttp, h2load) to completion.
func runTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
