import Foundation
import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import StrataTokenizer
import XCTest

/// The default model's perplexity on Debian's GPL-3 text, against llama.cpp's `llama-perplexity`.
final class PerplexityGemma3Tests: XCTestCase {
    func testPerplexityOnGPL3MatchesLlamaCppWithinOnePercent() throws {
        guard let fixture = try TestResources.fixtureJSON("perplexity-gemma3.json") as? [String: Any],
              let cases = fixture["cases"] as? [[String: Any]], let reference = cases.first,
              let path = reference["file"] as? String, let expected = reference["ppl"] as? Double,
              let chunks = reference["chunks"] as? Int
        else { throw FixtureError.malformed("perplexity-gemma3.json") }
        let text = try String(contentsOfFile: path, encoding: .utf8)

        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        let tokenizer = try makeTokenizer(metadata: file.metadata)
        let bos = try XCTUnwrap(tokenizer.specialTokens.bos)
        let tokens = tokenizer.encode(text, addBOS: true, parseSpecial: false)
        let model = try ArchitectureRegistry.load(file)
        let result = try PerplexityEvaluator(model: model, context: 512, threads: 2).evaluate(tokens: tokens, bos: bos)

        XCTAssertEqual(result.windows, chunks)
        XCTAssertEqual(result.scoredTokens, chunks * 255)
        print(String(format: "PPL = %.4f +/- %.4f (llama.cpp: %.4f)", result.perplexity, result.standardError, expected))
        XCTAssertEqual(result.perplexity, expected, accuracy: expected * 0.01)
    }
}
