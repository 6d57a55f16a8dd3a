import Foundation
import StrataTestSupport

/// A real `strata worker` process (the binary of this build) on a loopback port.
final class WorkerProcess {
    struct StartFailure: Error, CustomStringConvertible { let description: String }

    let process: Process
    let port: Int
    let layers: String

    private init(process: Process, port: Int, layers: String) {
        self.process = process
        self.port = port
        self.layers = layers
    }

    static var binary: URL { TestResources.packageRoot.appendingPathComponent(".build/release/strata") }

    /// Starts a worker holding `layers` and waits for its "listening" line (port 0 picks a free port).
    static func start(layers: String, token: String, port: Int = 0, model: String, extraArguments: [String] = []) throws -> WorkerProcess {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw MissingTestResource(description: "\(binary.path) is missing; build with `make build`")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["worker", "--listen", "127.0.0.1:\(port)", "--model", model, "--layers", layers,
                             "--threads", "1", "--ctx-size", "256", "--kv-cache-mb", "16", "--cluster-token", token] + extraArguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw StartFailure(description: "worker \(layers) exited (\(process.terminationStatus)) before listening")
            }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        // "worker listening on 127.0.0.1:PORT layers ..."
        guard let address = text.split(separator: " ").dropFirst(3).first,
              let port = address.split(separator: ":").last.flatMap({ Int($0) })
        else { throw StartFailure(description: "unexpected first line: \(text)") }
        return WorkerProcess(process: process, port: port, layers: layers)
    }

    /// SIGKILL, then waits for the process to end.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM (graceful shutdown), then waits for the process to end; one still running after
    /// a minute is killed, so a hung shutdown cannot hang the suite.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        var waited = 0.0
        while process.isRunning, waited < 60 {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 0.05
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
