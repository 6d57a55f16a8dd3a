import Foundation
import StrataGGUF
import StrataTokenizer
import StrataTestSupport
import XCTest

/// The BPE tokenizer of `tiny-models/tiny-qwen2-q8.gguf` against llama.cpp's server: prompt ids
/// (`/tokenize` with `add_special` and `parse_special`) and generated text from generated ids.
final class TinyQwen2FixtureTests: XCTestCase {
    private struct Reference: Decodable {
        struct Case: Decodable {
            let prompt: String
            let promptIDs: [TokenID]
            let generatedIDs: [TokenID]
            let generatedText: String

            enum CodingKeys: String, CodingKey {
                case prompt
                case promptIDs = "prompt_ids"
                case generatedIDs = "generated_ids"
                case generatedText = "generated_text"
            }
        }

        let cases: [Case]
    }

    func testPromptIDsAndGeneratedTextMatchLlamaCpp() throws {
        let model = try TestResources.requireFixture("tiny-models/tiny-qwen2-q8.gguf")
        let directory = model.deletingLastPathComponent()
        let reference = try JSONDecoder().decode(
            Reference.self,
            from: Data(contentsOf: directory.appendingPathComponent("tiny-qwen2-q8.reference.json")))
        let tokenizer = try makeTokenizer(metadata: GGUFFile(path: model.path).metadata)
        XCTAssertFalse(tokenizer.addBOSByDefault)
        XCTAssertFalse(reference.cases.isEmpty)
        for item in reference.cases {
            XCTAssertEqual(tokenizer.encode(item.prompt, addBOS: tokenizer.addBOSByDefault, parseSpecial: true),
                           item.promptIDs, item.prompt)
            XCTAssertEqual(tokenizer.decode(item.generatedIDs), item.generatedText, item.prompt)
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            let streamed = item.generatedIDs.map { decoder.append($0) }.joined() + decoder.finish()
            XCTAssertEqual(streamed, item.generatedText, item.prompt)
        }
    }
}
