import Foundation
import StrataTokenizer
import XCTest

/// Bulky inputs and streaming on the BPE vocab fixtures: they tokenize, their pieces give the text
/// back, and streaming gives the same text as the pieces.
final class BytePairBulkInputTests: XCTestCase {
    private static let names = ["ggml-vocab-gpt-2", "ggml-vocab-llama-bpe", "ggml-vocab-qwen2"]

    private func fixtureTexts(_ name: String) throws -> [String] {
        let url = try TestSupport.vocabFixture(name)
        return try String(contentsOf: URL(fileURLWithPath: url.path + ".inp"), encoding: .utf8)
            .components(separatedBy: "\n__ggml_vocab_test__\n").dropLast()
    }

    func testThirtyKilobyteInputsTokenizeAndRoundTrip() throws {
        for name in Self.names {
            let tokenizer = try TestSupport.vocabFixtureTokenizer(name)
            let inputs: [(String, String)] = [
                ("fixture texts", Self.repeated(try fixtureTexts(name).joined(separator: "\n"), toBytes: 30_000)),
                ("spaces and newlines", Self.repeated("  \n   \n\n\t    x ", toBytes: 30_000)),
                ("CJK and emoji", Self.repeated("中文分词测试😀🦙日本語のテキスト", toBytes: 30_000)),
                ("digits", Self.repeated("1234567890 3.14159 ", toBytes: 30_000)),
                ("one long word", String(repeating: "a", count: 30_000)),
                ("one run of spaces", String(repeating: " ", count: 30_000)),
            ]
            for (kind, text) in inputs {
                let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
                XCTAssertGreaterThan(ids.count, 1, "\(name): \(kind)")
                XCTAssertTrue(ids.flatMap { tokenizer.piece($0) } == Array(text.utf8), "\(name): \(kind) does not round-trip")
            }
        }
    }

    func testStreamingMatchesOneShotDecode() throws {
        for name in Self.names {
            let tokenizer = try TestSupport.vocabFixtureTokenizer(name)
            for text in try fixtureTexts(name) {
                let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
                var decoder = StreamingDecoder(tokenizer: tokenizer)
                var streamed = ""
                for id in ids {
                    streamed += decoder.append(id)
                }
                streamed += decoder.finish()
                // Streaming skips llama.cpp's `clean_spaces`, as llama.cpp's server does.
                XCTAssertEqual(streamed, String(decoding: ids.flatMap { tokenizer.piece($0) }, as: UTF8.self),
                               "\(name): \(text.debugDescription)")
            }
        }
    }

    private static func repeated(_ unit: String, toBytes count: Int) -> String {
        var text = ""
        while text.utf8.count < count { text += unit }
        return text
    }
}
