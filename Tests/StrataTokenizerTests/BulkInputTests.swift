import Foundation
import StrataGGUF
import StrataTokenizer
import XCTest

/// Pathological and bulky inputs on the default model's 262,144-token vocabulary: they tokenize
/// and round-trip. (Speed is measured by `make bench`, not asserted here.)
final class BulkInputTests: XCTestCase {
    func testVocabularyOfTheDefaultModelLoads() throws {
        let metadata = try TestSupport.modelFile.get().metadata
        XCTAssertEqual(try makeTokenizer(metadata: metadata).vocabularySize, 262_144)
    }

    func testThirtyKilobyteInputsTokenizeAndRoundTrip() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        let cases = try TokenizerFixtureCase.load().map(\.text)
        let inputs: [(String, String)] = [
            ("fixture texts", Self.repeated(cases.joined(separator: "\n"), toBytes: 30_000)),
            ("spaces and newlines", Self.repeated("  \n   \n\n\t    x ", toBytes: 30_000)),
            ("CJK and emoji", Self.repeated("中文分词测试😀🦙日本語のテキスト", toBytes: 30_000)),
            ("chat markup", Self.repeated("<start_of_turn>user\nHi<end_of_turn>\n", toBytes: 30_000)),
            ("one long word", String(repeating: "a", count: 30_000)),
            ("one run of spaces", String(repeating: " ", count: 30_000)),
        ]
        for (name, text) in inputs {
            for parseSpecial in [false, true] {
                let ids = tokenizer.encode(text, addBOS: true, parseSpecial: parseSpecial)
                XCTAssertGreaterThan(ids.count, 1, name)
                let decoded = tokenizer.decode(ids.dropFirst(), renderSpecial: true)
                XCTAssertTrue(decoded == text, "\(name) does not round-trip")
            }
        }
    }

    private static func repeated(_ unit: String, toBytes count: Int) -> String {
        var text = ""
        while text.utf8.count < count { text += unit }
        return text
    }
}
