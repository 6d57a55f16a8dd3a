import StrataTokenizer
import XCTest

/// The default model's tokenizer against llama.cpp's `/tokenize` output (`tokenizer-gemma3.json`).
final class GemmaFixtureTests: XCTestCase {
    func testPlainIDsMatchLlamaCpp() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        for testCase in try TokenizerFixtureCase.load() {
            XCTAssertEqual(tokenizer.encode(testCase.text, addBOS: false, parseSpecial: false), testCase.ids,
                           "text: \(testCase.text.debugDescription)")
        }
    }

    func testParseSpecialIDsMatchLlamaCpp() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        for testCase in try TokenizerFixtureCase.load() {
            XCTAssertEqual(tokenizer.encode(testCase.text, addBOS: false, parseSpecial: true), testCase.idsParseSpecial,
                           "text: \(testCase.text.debugDescription)")
        }
    }

    func testAddBOSIDsMatchLlamaCpp() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        XCTAssertTrue(tokenizer.addBOSByDefault)
        for testCase in try TokenizerFixtureCase.load() {
            XCTAssertEqual(tokenizer.encode(testCase.text, addBOS: tokenizer.addBOSByDefault, parseSpecial: false),
                           testCase.idsAddBOS, "text: \(testCase.text.debugDescription)")
        }
    }

    func testFixtureHasFortyCases() throws {
        XCTAssertEqual(try TokenizerFixtureCase.load().count, 40)
    }

    func testRoundTripIsLossless() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        for testCase in try TokenizerFixtureCase.load() {
            XCTAssertEqual(tokenizer.decode(testCase.ids), testCase.text, "text: \(testCase.text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(testCase.text, addBOS: true, parseSpecial: false)),
                           testCase.text)
            // Parsed special tokens come back only when rendered.
            XCTAssertEqual(tokenizer.decode(testCase.idsParseSpecial, renderSpecial: true), testCase.text)
        }
    }

    func testSpecialTokensAndFlags() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        XCTAssertEqual(tokenizer.vocabularySize, 262_144)
        let special = tokenizer.specialTokens
        XCTAssertEqual(special.bos, 2)
        XCTAssertEqual(special.eos, 1)
        XCTAssertEqual(special.unk, 3)
        XCTAssertEqual(special.pad, 0)
        XCTAssertEqual(special.eot, 106)
        XCTAssertEqual(tokenizer.vocabulary.piece(106), "<end_of_turn>")
        XCTAssertFalse(tokenizer.vocabulary.addSpacePrefix)
        XCTAssertFalse(tokenizer.vocabulary.addEOS)
        XCTAssertTrue(tokenizer.isEndOfGeneration(1))
        XCTAssertTrue(tokenizer.isEndOfGeneration(106))
        XCTAssertFalse(tokenizer.isEndOfGeneration(2))
        XCTAssertFalse(tokenizer.isEndOfGeneration(105))
        XCTAssertFalse(tokenizer.isEndOfGeneration(-1))
        XCTAssertFalse(tokenizer.isEndOfGeneration(9259))
    }

    func testPieces() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        XCTAssertEqual(tokenizer.piece(26352), Array(" Hello".utf8))
        XCTAssertEqual(tokenizer.piece(251), [0x0D])  // <0x0D> byte token
        XCTAssertEqual(tokenizer.piece(138), Array("  ".utf8))  // user-defined, always rendered
        XCTAssertEqual(tokenizer.piece(106), [])  // control, hidden by default
        XCTAssertEqual(tokenizer.piece(106, renderSpecial: true), Array("<end_of_turn>".utf8))
        XCTAssertEqual(tokenizer.piece(-5), [])
        XCTAssertEqual(tokenizer.piece(262_144), [])
    }

    func testControlTokenTextIsPlainTextUnlessParsed() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        XCTAssertEqual(tokenizer.encode("<end_of_turn>", addBOS: false, parseSpecial: true), [106])
        XCTAssertFalse(tokenizer.encode("<end_of_turn>", addBOS: false, parseSpecial: false).contains(106))
        // User-defined tokens are split out either way.
        XCTAssertEqual(tokenizer.encode("<html>", addBOS: false, parseSpecial: false), [217])
    }
}
