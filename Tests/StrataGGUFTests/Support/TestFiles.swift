import Foundation
import StrataTestSupport

/// The real GGUF files the reader tests open, found through `TestResources`.
/// A missing file throws, failing the test rather than skipping it.
enum TestFiles {
    /// The `.gguf` files in `../shared/fixtures/<directory>`, sorted; throws when there are none.
    static func ggufFiles(in directory: String) throws -> [String] {
        let url = try TestResources.requireFixture(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let files = names.filter { $0.hasSuffix(".gguf") }.sorted().map { url.appendingPathComponent($0).path }
        guard !files.isEmpty else {
            throw MissingTestResource(description: "no .gguf files in \(url.path)")
        }
        return files
    }
}
