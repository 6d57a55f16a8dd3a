import Foundation
import StrataTestSupport
import XCTest

/// Runs the `strata` binary built next to the tests.
struct StrataBinary {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let url: URL

    /// The binary of the build these tests belong to (`.build/release/strata`).
    static func locate() throws -> StrataBinary {
        let url = TestResources.packageRoot.appendingPathComponent(".build/release/strata")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw MissingTestResource(description: "\(url.path) is missing; build with `make build`")
        }
        return StrataBinary(url: url)
    }

    /// Runs the binary to completion; `environment` adds to (or overrides) this process's environment.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
