import Foundation
import StrataGGUF
import StrataTokenizer
import XCTest

/// Load and tokenize speed on the default model's 262,144-token vocabulary. Bounds are loose so
/// that a busy machine does not fail them; the measured times are printed.
final class PerformanceTests: XCTestCase {
    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    func testVocabularyLoadsWellUnderASecond() throws {
        try TestSupport.requireModel()
        let fileTime = try seconds { _ = try GGUFFile(path: TestSupport.modelPath) }
        print("GGUF open and parse (StrataGGUF, for reference): \(Int(fileTime * 1000)) ms")
        let metadata = try TestSupport.modelFile.get().metadata
        var tokenizer: (any Tokenizer)?
        let vocabularyTime = try seconds { tokenizer = try makeTokenizer(metadata: metadata) }
        XCTAssertEqual(tokenizer?.vocabularySize, 262_144)
        print("tokenizer from GGUF metadata (262,144 tokens): \(Int(vocabularyTime * 1000)) ms")
        XCTAssertLessThan(vocabularyTime, 1.0)
    }

    func testTokenizingThirtyKilobytesTakesMilliseconds() throws {
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
                var ids: [TokenID] = []
                _ = tokenizer.encode(text, addBOS: true, parseSpecial: parseSpecial)  // warm up
                let time = seconds { ids = tokenizer.encode(text, addBOS: true, parseSpecial: parseSpecial) }
                print("encode \(text.utf8.count) bytes of \(name) (parseSpecial: \(parseSpecial)): "
                      + "\(String(format: "%.1f", time * 1000)) ms, \(ids.count) tokens")
                XCTAssertLessThan(time, 0.25, name)
                var decoded = ""
                let decodeTime = seconds { decoded = tokenizer.decode(ids.dropFirst(), renderSpecial: true) }
                XCTAssertTrue(decoded == text, "\(name) does not round-trip")
                XCTAssertLessThan(decodeTime, 0.25, name)
            }
        }
    }

    private static func repeated(_ unit: String, toBytes count: Int) -> String {
        var text = ""
        while text.utf8.count < count { text += unit }
        return text
    }
}
