import Foundation
import StrataGGUF
import StrataTokenizer
import XCTest

/// Paths and shared, lazily loaded resources for the tokenizer tests.
enum TestSupport {
    /// The package root: this file → StrataTokenizerTests → Tests → root.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures` next to the package root.
    static let fixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    /// `STRATA_MODEL`, else the default Gemma 3 270M in `~/.cache/strata/models`.
    static var modelPath: String {
        if let path = ProcessInfo.processInfo.environment["STRATA_MODEL"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/strata/models/gemma-3-270m-q4_k_m.gguf").path
    }

    /// The default model's GGUF file, opened once.
    static let modelFile: Result<GGUFFile, any Error> = Result { try GGUFFile(path: modelPath) }

    /// The default model's tokenizer, built once.
    static let modelTokenizer: Result<any Tokenizer, any Error> = modelFile.flatMap { file in
        Result { try makeTokenizer(metadata: file.metadata) }
    }

    /// The default model's tokenizer; skips the test when the model is absent, or fails when `CI` is set.
    static func gemmaTokenizer() throws -> any Tokenizer {
        try requireModel()
        return try modelTokenizer.get()
    }

    /// Skips (or fails under `CI`) when the model file is missing.
    static func requireModel() throws {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            let message = "model not found at \(modelPath); set STRATA_MODEL or install the default model"
            if ProcessInfo.processInfo.environment["CI"] != nil { throw MissingResource(message: message) }
            throw XCTSkip(message)
        }
    }

    /// The vocab-only GGUF fixture `name` (e.g. `ggml-vocab-llama-spm`).
    static func vocabFixture(_ name: String) throws -> URL {
        let url = fixtures.appendingPathComponent("vocab/\(name).gguf")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("fixture not found at \(url.path)")
        }
        return url
    }

    /// The tokenizer of a vocab-only GGUF fixture.
    ///
    /// These files have no tensors and end right after the metadata, without the alignment
    /// padding before the (empty) data section; llama.cpp accepts that, StrataGGUF currently
    /// refuses it as truncated. Until the reader accepts it, pad a copy in memory.
    static func vocabFixtureTokenizer(_ name: String) throws -> any Tokenizer {
        let url = try vocabFixture(name)
        var bytes = try [UInt8](Data(contentsOf: url))
        bytes += [UInt8](repeating: 0, count: (GGUFFile.defaultAlignment - bytes.count % GGUFFile.defaultAlignment)
            % GGUFFile.defaultAlignment)
        return try makeTokenizer(metadata: GGUFFile(bytes: bytes).metadata)
    }
}

/// Thrown (failing the test) when a required resource is missing under CI.
struct MissingResource: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One case of `tokenizer-gemma3.json`.
struct TokenizerFixtureCase: Decodable {
    let text: String
    let ids: [TokenID]
    let idsParseSpecial: [TokenID]
    let idsAddBOS: [TokenID]

    enum CodingKeys: String, CodingKey {
        case text, ids
        case idsParseSpecial = "ids_parse_special"
        case idsAddBOS = "ids_add_bos"
    }

    static func load() throws -> [TokenizerFixtureCase] {
        struct File: Decodable { let cases: [TokenizerFixtureCase] }
        let url = TestSupport.fixtures.appendingPathComponent("tokenizer-gemma3.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }
}
