import StrataGGUF
import StrataTokenizer
import XCTest

/// Bad vocabularies are refused with errors naming the key at fault.
final class VocabularyErrorTests: XCTestCase {
    private func metadata(_ pairs: [(String, GGUFValue)]) -> GGUFMetadata {
        GGUFMetadata(orderedPairs: pairs)
    }

    private func strings(_ values: [String]) -> GGUFValue {
        .array(elementType: .string, values: values.map(GGUFValue.string))
    }

    private var minimal: [(String, GGUFValue)] {
        [("tokenizer.ggml.model", .string("llama")), ("tokenizer.ggml.tokens", strings(["<unk>", "<s>", "</s>", "a"]))]
    }

    private func assertThrows(_ expected: TokenizerError, _ body: () throws(TokenizerError) -> Void,
                              file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("expected \(expected)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    func testMinimalMetadataUsesLlamaCppDefaults() throws {
        let vocabulary = try Vocabulary(metadata: metadata(minimal))
        XCTAssertEqual(vocabulary.count, 4)
        XCTAssertEqual(vocabulary.specialTokens.bos, 1)
        XCTAssertEqual(vocabulary.specialTokens.eos, 2)
        XCTAssertEqual(vocabulary.specialTokens.unk, 0)
        XCTAssertTrue(vocabulary.addBOS)
        XCTAssertTrue(vocabulary.addSpacePrefix)
        XCTAssertEqual(vocabulary.score(3), 0)
    }

    func testMissingKeys() {
        assertThrows(.missingKey("tokenizer.ggml.model")) { () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata([]))
        }
        assertThrows(.missingKey("tokenizer.ggml.tokens")) { () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata([("tokenizer.ggml.model", .string("llama"))]))
        }
    }

    func testUnsupportedModel() {
        assertThrows(.unsupportedModel("bert")) { () throws(TokenizerError) in
            _ = try makeTokenizer(metadata: metadata([("tokenizer.ggml.model", .string("bert"))]))
        }
    }

    func testMalformedKeys() throws {
        XCTAssertThrowsError(try Vocabulary(metadata: metadata([("tokenizer.ggml.model", .uint32(1))]))) {
            guard case .malformedKey("tokenizer.ggml.model", _)? = $0 as? TokenizerError else {
                return XCTFail("\($0)")
            }
        }
        let badScores = minimal + [("tokenizer.ggml.scores", strings(["x", "y", "z", "w"]))]
        XCTAssertThrowsError(try Vocabulary(metadata: metadata(badScores))) {
            guard case .malformedKey("tokenizer.ggml.scores", _)? = $0 as? TokenizerError else {
                return XCTFail("\($0)")
            }
        }
        let badFlag = minimal + [("tokenizer.ggml.add_bos_token", .uint8(1))]
        XCTAssertThrowsError(try Vocabulary(metadata: metadata(badFlag))) {
            guard case .malformedKey("tokenizer.ggml.add_bos_token", _)? = $0 as? TokenizerError else {
                return XCTFail("\($0)")
            }
        }
    }

    func testIntegerScoresAreAccepted() throws {
        let scores = GGUFValue.array(elementType: .int32, values: [0, 0, 0, -7].map(GGUFValue.int32))
        let vocabulary = try Vocabulary(metadata: metadata(minimal + [("tokenizer.ggml.scores", scores)]))
        XCTAssertEqual(vocabulary.score(3), -7)
    }

    func testCountMismatches() {
        let scores = GGUFValue.array(elementType: .float32, values: [0, 0, 0].map(GGUFValue.float32))
        assertThrows(.countMismatch(key: "tokenizer.ggml.scores", expected: 4, found: 3)) { () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata(minimal + [("tokenizer.ggml.scores", scores)]))
        }
        let types = GGUFValue.array(elementType: .int32, values: [2, 3, 3, 1, 1].map(GGUFValue.int32))
        assertThrows(.countMismatch(key: "tokenizer.ggml.token_type", expected: 4, found: 5)) { () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata(minimal + [("tokenizer.ggml.token_type", types)]))
        }
    }

    func testSpecialTokenOutOfRange() {
        assertThrows(.specialTokenOutOfRange(key: "tokenizer.ggml.eos_token_id", id: 4, vocabularySize: 4)) {
            () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata(minimal + [("tokenizer.ggml.eos_token_id", .uint32(4))]))
        }
        assertThrows(.specialTokenOutOfRange(key: "tokenizer.ggml.padding_token_id", id: -1, vocabularySize: 4)) {
            () throws(TokenizerError) in
            _ = try Vocabulary(metadata: metadata(minimal + [("tokenizer.ggml.padding_token_id", .int32(-1))]))
        }
        assertThrows(.specialTokenOutOfRange(key: "tokenizer.ggml.bos_token_id", id: 9, vocabularySize: 1)) {
            () throws(TokenizerError) in
            _ = try Vocabulary(tokens: ["a"], specialTokens: SpecialTokens(bos: 9))
        }
    }

    func testDuplicateAndEmptyVocabularies() {
        assertThrows(.duplicateToken(piece: "a", firstID: 0, secondID: 2)) { () throws(TokenizerError) in
            _ = try Vocabulary(tokens: ["a", "b", "a"], specialTokens: SpecialTokens())
        }
        assertThrows(.emptyVocabulary) { () throws(TokenizerError) in
            _ = try Vocabulary(tokens: [], specialTokens: SpecialTokens())
        }
    }

    func testEmptyPiecesAreRenamed() throws {
        let vocabulary = try Vocabulary(tokens: ["a", "", ""], specialTokens: SpecialTokens())
        XCTAssertEqual(vocabulary.piece(1), "[EMPTY_1]")
        XCTAssertEqual(vocabulary.piece(2), "[EMPTY_2]")
    }

    func testErrorsDescribeTheKey() {
        XCTAssertTrue(TokenizerError.missingKey("tokenizer.ggml.tokens").description.contains("tokenizer.ggml.tokens"))
    }
}
