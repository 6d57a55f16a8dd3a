import Foundation
import StrataCatalog
import StrataTestSupport
import XCTest

/// A fresh catalog in a temporary directory, and GGUF files to import into it.
final class CatalogFixture {
    let directory: String
    let catalog: Catalog

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-catalog-\(getpid())-\(UUID().uuidString)").path
        catalog = try Catalog(directory: directory)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A small real GGUF fixture (vocab-only or tiny model).
    static func file(_ relativePath: String) throws -> String {
        try TestResources.requireFixture(relativePath).path
    }

    /// A distinct, valid GGUF: the phi-3 vocabulary plus a trailer naming `index`.
    func variant(_ index: Int) throws -> String {
        let seed = try Data(contentsOf: URL(fileURLWithPath: Self.file("vocab/ggml-vocab-phi-3.gguf")))
        let path = directory + "/variant-\(index).gguf"
        try (seed + Data("variant-\(index)".utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Stored blob files (`sha256-…`).
    func blobFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/blobs").filter { $0.hasPrefix("sha256-") }.sorted()
    }
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertCatalogError<T>(
    _ expected: CatalogError, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected \(expected), got success", file: file, line: line)
    } catch {
        XCTAssertEqual(error as? CatalogError, expected, file: file, line: line)
    }
}
