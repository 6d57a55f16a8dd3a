import StrataTokenizer
import XCTest

/// Splitting text on control and user-defined tokens, as llama.cpp's `tokenizer_st_partition`.
final class SpecialTokenSplittingTests: XCTestCase {
    func testControlTokensOnlyWhenParsingSpecial() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("<ctl>", 0, .control)])
        XCTAssertEqual(tiny.encode("a<ctl>a", parseSpecial: true), tiny.ids("a", "<ctl>", "a"))
        XCTAssertFalse(tiny.encode("a<ctl>a", parseSpecial: false).contains(tiny.id("<ctl>")))
        XCTAssertEqual(tiny.encode("<s>a", parseSpecial: true), [1, tiny.id("a")])
    }

    func testUserDefinedTokensAlwaysSplit() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("<ud>", 0, .userDefined)])
        XCTAssertEqual(tiny.encode("a<ud>a", parseSpecial: false), tiny.ids("a", "<ud>", "a"))
        XCTAssertEqual(tiny.encode("<ud><ud>", parseSpecial: true), tiny.ids("<ud>", "<ud>"))
    }

    func testLongestTokenClaimsTextFirst() throws {
        // llama.cpp splits on "bcd" (longer) before "ab", so "abcd" is "a" + "bcd", not "ab" + "cd".
        let tiny = try TinyVocabulary([.init("a"), .init("c"), .init("d"), .init("ab", 0, .userDefined),
                                       .init("bcd", 0, .userDefined)])
        XCTAssertEqual(tiny.encode("abcd"), tiny.ids("a", "bcd"))
        XCTAssertEqual(tiny.encode("abab"), tiny.ids("ab", "ab"))
    }

    func testOccurrencesOfOneTokenDoNotOverlap() throws {
        let tiny = try TinyVocabulary([.init("a"), .init("aa", 0, .userDefined)])
        XCTAssertEqual(tiny.encode("aaa"), tiny.ids("aa", "a"))
        XCTAssertEqual(tiny.encode("aaaa"), tiny.ids("aa", "aa"))
    }

    func testSplitTextRunsAreTokenizedSeparately() throws {
        // "ab" would merge, but the user-defined token between them keeps the runs apart.
        let tiny = try TinyVocabulary([.init("a"), .init("b"), .init("ab", -1), .init("|", 0, .userDefined)])
        XCTAssertEqual(tiny.encode("a|b"), tiny.ids("a", "|", "b"))
        XCTAssertEqual(tiny.encode("ab|ab"), tiny.ids("ab", "|", "ab"))
    }

    func testEndOfGenerationTokensDetectedByText() throws {
        let tiny = try TinyVocabulary([.init("<end_of_turn>", 0, .control), .init("<|im_end|>", 0, .userDefined)])
        // With several candidates, EOT is the first in llama.cpp's list ("<|im_end|>" before "<end_of_turn>").
        XCTAssertEqual(tiny.vocabulary.specialTokens.eot, tiny.id("<|im_end|>"))
        XCTAssertTrue(tiny.tokenizer.isEndOfGeneration(2))
        XCTAssertTrue(tiny.tokenizer.isEndOfGeneration(tiny.id("<end_of_turn>")))
        XCTAssertTrue(tiny.tokenizer.isEndOfGeneration(tiny.id("<|im_end|>")))
        XCTAssertFalse(tiny.tokenizer.isEndOfGeneration(1))
        // An end-like token that was not control becomes control, so plain text no longer splits on it.
        XCTAssertTrue(tiny.vocabulary.attributes(tiny.id("<|im_end|>")).contains(.control))
        XCTAssertFalse(tiny.encode("<|im_end|>", parseSpecial: false).contains(tiny.id("<|im_end|>")))
    }

    func testPhi3DropsWhitespaceAfterSpecialTokens() throws {
        let pieces: [TinyVocabulary.Piece] = [.init("h"), .init("i"), .init("▁"), .init("<|user|>", 0, .control)]
        let phi = try TinyVocabulary(pieces, modelName: "Phi3")
        XCTAssertEqual(phi.encode("<|user|>  hi", parseSpecial: true), phi.ids("<|user|>", "h", "i"))
        XCTAssertEqual(phi.encode("<s> hi", parseSpecial: true), [1] + phi.ids("▁", "h", "i"), "<s> keeps its spaces")
        let other = try TinyVocabulary(pieces)
        XCTAssertEqual(other.encode("<|user|> hi", parseSpecial: true), other.ids("<|user|>", "▁", "h", "i"))
    }
}
