import Foundation
import StrataGGUF
import StrataTokenizer
import StrataTestSupport

/// Shared, lazily loaded resources for the tokenizer tests (paths come from `TestResources`).
enum TestSupport {
    /// `../shared/fixtures` next to the package root.
    static let fixtures = TestResources.fixtures

    /// The default model's GGUF file, opened once.
    static let modelFile: Result<GGUFFile, any Error> = Result {
        try GGUFFile(path: try TestResources.requireDefaultModel())
    }

    /// The default model's tokenizer, built once.
    static let modelTokenizer: Result<any Tokenizer, any Error> = modelFile.flatMap { file in
        Result { try makeTokenizer(metadata: file.metadata) }
    }

    /// The default model's tokenizer; throws (failing the test) when the model is absent.
    static func gemmaTokenizer() throws -> any Tokenizer {
        try modelTokenizer.get()
    }

    /// The vocab-only GGUF fixture `name` (e.g. `ggml-vocab-llama-spm`).
    static func vocabFixture(_ name: String) throws -> URL {
        try TestResources.requireFixture("vocab/\(name).gguf")
    }

    /// The tokenizer of a vocab-only GGUF fixture.
    static func vocabFixtureTokenizer(_ name: String) throws -> any Tokenizer {
        try makeTokenizer(metadata: GGUFFile(path: vocabFixture(name).path).metadata)
    }
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
