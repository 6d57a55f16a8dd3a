import Foundation
import Testing

/// Where the real GGUF files used by tests live.
///
/// Fixtures sit in `../shared/fixtures` next to the package root; the default model comes from
/// `STRATA_MODEL` or the model cache. A missing file fails the test when `CI` is set, else skips it.
enum TestFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // StrataGGUFTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("../shared/fixtures").standardized

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static var modelPath: String {
        if let path = ProcessInfo.processInfo.environment["STRATA_MODEL"], !path.isEmpty { return path }
        return NSString(string: "~/.cache/strata/models/gemma-3-270m-q4_k_m.gguf").expandingTildeInPath
    }

    static var hasModel: Bool { FileManager.default.fileExists(atPath: modelPath) }

    /// The `.gguf` files in `fixtures/<directory>`, sorted; empty when the directory is missing.
    static func ggufFiles(in directory: String) -> [String] {
        let url = fixtures.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".gguf") }.sorted().map { url.appendingPathComponent($0).path }
    }

    static var hasFixtures: Bool {
        !ggufFiles(in: "vocab").isEmpty && !ggufFiles(in: "tiny-models").isEmpty
    }

    static func missingMessage(_ what: String, at path: String) -> Comment {
        "\(what) not found at \(path) (set STRATA_MODEL for the model; CI is set, so this fails instead of skipping)"
    }
}
