import StrataTokenizer
import StrataTestSupport
import XCTest

/// The streaming detokenizer never splits a character and always agrees with one-shot decoding.
final class StreamingDecoderTests: XCTestCase {
    private func streamed(_ ids: [TokenID], _ tokenizer: any Tokenizer, renderSpecial: Bool = false) -> [String] {
        var decoder = StreamingDecoder(tokenizer: tokenizer, renderSpecial: renderSpecial)
        return ids.map { decoder.append($0) } + [decoder.finish()]
    }

    func testGemmaFixtureStreamsLikeOneShotDecode() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        for testCase in try TokenizerFixtureCase.load() {
            for (ids, render) in [(testCase.ids, false), (testCase.idsParseSpecial, true), (testCase.idsAddBOS, false)] {
                let chunks = streamed(ids, tokenizer, renderSpecial: render)
                XCTAssertEqual(chunks.joined(), tokenizer.decode(ids, renderSpecial: render))
                XCTAssertFalse(chunks.contains { $0.contains("\u{FFFD}") }, "text: \(testCase.text.debugDescription)")
            }
        }
    }

    func testGemmaCharacterSplitAcrossByteTokensIsHeld() throws {
        let tokenizer = try TestSupport.gemmaTokenizer()
        let text = "a\u{10FFFD}b"  // a private-use character, not in the vocabulary
        let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
        XCTAssertEqual(ids.count, 6, "expected a, four byte tokens, b")
        XCTAssertEqual(streamed(ids, tokenizer), ["a", "", "", "", "\u{10FFFD}", "b", ""])
    }

    func testEmojiAndCJKByteFallbackStreamsWholeCharacters() throws {
        let tiny = try TinyVocabulary([.init("x")])
        let ids = tiny.encode("😀中x")
        XCTAssertEqual(ids.count, 4 + 3 + 1)
        XCTAssertEqual(streamed(ids, tiny.tokenizer), ["", "", "", "😀", "", "", "中", "x", ""])
    }

    func testInvalidBytesBecomeReplacementOnceCertain() {
        guard let tokenizer = try? TinyVocabulary([]).tokenizer else { return XCTFail("vocabulary") }
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        XCTAssertEqual(decoder.append(bytes: [0xF0, 0x9F]), "")
        XCTAssertTrue(decoder.hasPendingBytes)
        XCTAssertEqual(decoder.append(bytes: [0x41]), "\u{FFFD}A")  // truncated emoji, then "A"
        XCTAssertEqual(decoder.append(bytes: [0xFF]), "\u{FFFD}")  // never valid: out at once
        XCTAssertEqual(decoder.append(bytes: [0xE0, 0x80]), "\u{FFFD}\u{FFFD}")  // overlong start
        XCTAssertEqual(decoder.append(bytes: [0xE2, 0x82]), "")
        XCTAssertEqual(decoder.finish(), "\u{FFFD}")  // stream ends mid-character
        XCTAssertFalse(decoder.hasPendingBytes)
    }

    func testRandomByteStreamsMatchOneShotDecoding() {
        guard let tokenizer = try? TinyVocabulary([]).tokenizer else { return XCTFail("vocabulary") }
        var random = SplitMix64(seed: 0x5EED)
        // Mostly valid UTF-8 with some damage, so that both paths are exercised.
        let alphabet = Array("aé€😀中\u{10FFFD}".utf8) + [0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0 ..< 2000 {
            let bytes = (0 ..< Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            var decoder = StreamingDecoder(tokenizer: tokenizer)
            var output = ""
            var index = 0
            while index < bytes.count {
                let end = min(bytes.count, index + 1 + Int(random.next() % 4))
                let chunk = decoder.append(bytes: bytes[index ..< end])
                output += chunk
                index = end
            }
            output += decoder.finish()
            XCTAssertEqual(output, String(decoding: bytes, as: UTF8.self), "bytes: \(bytes)")
        }
    }
}
