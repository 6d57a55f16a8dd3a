import Foundation
import StrataTokenizer
import XCTest

/// The SentencePiece algorithm on a hand-built vocabulary.
final class SentencePieceTests: XCTestCase {
    func testHigherScoreMergesFirst() throws {
        let bcFirst = try TinyVocabulary([.init("a"), .init("b"), .init("c"), .init("ab", -2), .init("bc", -1)])
        XCTAssertEqual(bcFirst.encode("abc"), bcFirst.ids("a", "bc"))
        let abFirst = try TinyVocabulary([.init("a"), .init("b"), .init("c"), .init("ab", -1), .init("bc", -2)])
        XCTAssertEqual(abFirst.encode("abc"), abFirst.ids("ab", "c"))
    }

    func testEqualScoresMergeLeftmostFirst() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("b"), .init("c"), .init("ab", -1), .init("bc", -1)])
        XCTAssertEqual(tiny.encode("abc"), tiny.ids("ab", "c"))
        XCTAssertEqual(tiny.encode("abcabc"), tiny.ids("ab", "c", "ab", "c"))
    }

    func testMergesChainThroughIntermediatePieces() throws {
        let chained = try TinyVocabulary([.init("a"), .init("b"), .init("c"), .init("ab", -1), .init("abc", -3)])
        XCTAssertEqual(chained.encode("abc"), chained.ids("abc"))
        // A piece no chain of pieces reaches is never formed.
        let unreachable = try TinyVocabulary([.init("a"), .init("b"), .init("c"), .init("abc", 5)])
        XCTAssertEqual(unreachable.encode("abc"), unreachable.ids("a", "b", "c"))
    }

    func testSpacesBecomeMetaspace() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("b"), .init("▁"), .init("▁b", -1)])
        XCTAssertEqual(tiny.encode("a b"), tiny.ids("a", "▁b"))
        XCTAssertEqual(tiny.encode("a  b"), tiny.ids("a", "▁", "▁b"))
    }

    func testSpacePrefixAtStartAndAfterSpecialTokens() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("▁"), .init("▁a", -1), .init("<ctl>", 0, .control)],
                                      addSpacePrefix: true)
        XCTAssertEqual(tiny.encode("a"), tiny.ids("▁a"))
        XCTAssertEqual(tiny.encode("a<ctl>a", parseSpecial: true), tiny.ids("▁a", "<ctl>", "▁a"))
        XCTAssertEqual(tiny.tokenizer.decode(tiny.encode("a")), "a", "leading prefix space is removed on decode")
    }

    func testByteFallbackForUnknownCharacters() throws {
        let tiny = try TinyVocabulary([.init("a")])
        XCTAssertEqual(tiny.encode("aé"), tiny.ids("a", "<0xC3>", "<0xA9>"))
        XCTAssertEqual(tiny.tokenizer.decode(tiny.encode("aé😀")), "aé😀")
    }

    func testUnknownTokenWithoutByteTokens() throws {
        let tiny = try TinyVocabulary([.init("a")], byteTokens: false)
        XCTAssertEqual(tiny.encode("aé"), [tiny.id("a"), 0, 0])
    }

    func testEmptyTextAndBOS() throws {
        let tiny = try TinyVocabulary([.init("a")])
        XCTAssertEqual(tiny.encode(""), [])
        XCTAssertEqual(tiny.tokenizer.encode("", addBOS: true, parseSpecial: false), [1])
        XCTAssertEqual(tiny.tokenizer.encode("a", addBOS: true, parseSpecial: false), [1, tiny.id("a")])
    }

    func testDecodeRendersPiecesBytesAndSpecialTokens() throws {
        let tiny = try TinyVocabulary([.init("▁hi"), .init("<ud>", 0, .userDefined), .init("<ctl>", 0, .control),
                                       .init("<gone>", 0, .unused)])
        let ids = [1] + tiny.ids("▁hi", "<ud>", "<ctl>", "<gone>", "<0xE2>", "<0x82>", "<0xAC>")
        XCTAssertEqual(tiny.tokenizer.decode(ids), " hi<ud>€")
        XCTAssertEqual(tiny.tokenizer.decode(ids, renderSpecial: true), "<s> hi<ud><ctl>€")
        XCTAssertEqual(tiny.tokenizer.decode([tiny.id("<0xE2>"), tiny.id("<0x82>")]), "\u{FFFD}")
        XCTAssertEqual(tiny.tokenizer.decode([-1, 99999]), "")
    }
}
