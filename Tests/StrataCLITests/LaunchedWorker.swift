import Foundation
import StrataTestSupport

/// A `strata worker` started for a test, returned once it has printed its
/// "worker listening on HOST:PORT …" line. The caller stops it (`process.terminate()`).
struct LaunchedWorker {
    let process: Process
    /// The first line the worker printed.
    let line: String
    /// The `HOST:PORT` it listens on.
    let address: String
    /// The port of `address`.
    let port: Int

    /// Runs `strata worker` with `arguments`; with `launcher` (e.g. `ip netns exec NAME`), that
    /// program runs the strata command line. `environment` adds to this process's environment.
    init(_ arguments: [String], launcher: [String] = [], environment: [String: String] = [:]) throws {
        let command = launcher + [try StrataBinary.locate().url.path, "worker"] + arguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var bytes = Data()
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw MissingTestResource(description: "the worker (\(arguments.joined(separator: " "))) exited before listening")
            }
            bytes += chunk
        }
        line = String(decoding: bytes, as: UTF8.self)
        // "worker listening on HOST:PORT (h2c) layers A:B of N, …"
        let words = line.split(separator: " ")
        guard words.count > 3, let port = words[3].split(separator: ":").last.flatMap({ Int($0) }) else {
            process.terminate()
            throw MissingTestResource(description: "unexpected worker line: \(line)")
        }
        address = String(words[3])
        self.port = port
    }
}
