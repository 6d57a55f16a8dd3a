import Foundation
import StrataGGUF
import StrataTokenizer
import XCTest

/// llama.cpp's vocab-only models against their reference ids (`vocab/*.inp`, `.out`), tokenized as
/// llama.cpp's `test-tokenizer-0` does: no BOS, special-token text not parsed.
final class VocabFixtureTests: XCTestCase {
    /// Checks every fixture string; with `roundTrip`, also that the pieces give the string back, and
    /// so does `decode` unless the vocabulary cleans spaces (llama.cpp's lossy `clean_spaces`).
    private func check(_ name: String, roundTrip: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try TestSupport.vocabFixture(name)
        let tokenizer = try TestSupport.vocabFixtureTokenizer(name)
        let inputs = try String(contentsOf: URL(fileURLWithPath: url.path + ".inp"), encoding: .utf8)
            .components(separatedBy: "\n__ggml_vocab_test__\n").dropLast()
        let outputs = try String(contentsOf: URL(fileURLWithPath: url.path + ".out"), encoding: .utf8)
            .components(separatedBy: "\n")
        XCTAssertEqual(inputs.count, 46, file: file, line: line)
        for (text, expected) in zip(inputs, outputs) {
            let ids = expected.split(separator: " ").compactMap { TokenID($0) }
            let encoded = tokenizer.encode(text, addBOS: false, parseSpecial: false)
            XCTAssertEqual(encoded, ids, "\(name): \(text.debugDescription)", file: file, line: line)
            if roundTrip {
                XCTAssertEqual(ids.flatMap { tokenizer.piece($0) }, Array(text.utf8),
                               "\(name) pieces: \(text.debugDescription)", file: file, line: line)
                if !tokenizer.vocabulary.cleanSpaces {
                    XCTAssertEqual(tokenizer.decode(ids), text, "\(name) decode: \(text.debugDescription)",
                                   file: file, line: line)
                }
            }
        }
    }

    func testLlamaSentencePiece() throws {
        try check("ggml-vocab-llama-spm")
    }

    func testPhi3() throws {
        try check("ggml-vocab-phi-3")
    }

    func testGPT2() throws {
        try check("ggml-vocab-gpt-2", roundTrip: true)
    }

    func testLlama3() throws {
        try check("ggml-vocab-llama-bpe", roundTrip: true)
    }

    func testQwen2() throws {
        try check("ggml-vocab-qwen2", roundTrip: true)
    }

    func testLlamaSentencePieceRoundTrip() throws {
        let tokenizer = try TestSupport.vocabFixtureTokenizer("ggml-vocab-llama-spm")
        XCTAssertTrue(tokenizer.vocabulary.addSpacePrefix)
        for text in ["Hello world", "ied 4 ½ months", "🦙 llama.cpp", "  two leading spaces"] {
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text, addBOS: false, parseSpecial: false)), text)
            // As in llama.cpp, only the first token's prefix space is removed, and BOS is that first token.
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text, addBOS: true, parseSpecial: false)), " " + text)
        }
    }
}
