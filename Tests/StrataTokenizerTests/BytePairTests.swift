import StrataGGUF
import StrataTokenizer
import XCTest

/// Byte-level BPE: metadata errors, merge order, byte-level decoding and BOS defaults.
final class BytePairTests: XCTestCase {
    /// Tokens: the 256 byte-level characters in byte order, then `extra`.
    private func metadata(merges: [String]?, pre: String? = "gpt-2", extra: [String] = []) -> GGUFMetadata {
        let alphabet = (0 ..< 256).map { byte -> String in
            let printable = (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte) || (0xAE ... 0xFF).contains(byte)
            let shifted = (0 ..< byte).filter {
                !((0x21 ... 0x7E).contains($0) || (0xA1 ... 0xAC).contains($0) || (0xAE ... 0xFF).contains($0))
            }.count
            return String(Unicode.Scalar(printable ? UInt32(byte) : UInt32(0x100 + shifted))!)
        }
        var pairs: [(String, GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.tokens", .array(elementType: .string, values: (alphabet + extra).map(GGUFValue.string))),
        ]
        if let pre { pairs.append(("tokenizer.ggml.pre", .string(pre))) }
        if let merges { pairs.append(("tokenizer.ggml.merges", .array(elementType: .string, values: merges.map(GGUFValue.string)))) }
        return GGUFMetadata(orderedPairs: pairs)
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

    func testMissingMergesNameTheKey() {
        assertThrows(.missingKey("tokenizer.ggml.merges")) { () throws(TokenizerError) in
            _ = try makeTokenizer(metadata: metadata(merges: nil))
        }
    }

    func testMalformedMergeNamesTheKey() {
        XCTAssertThrowsError(try makeTokenizer(metadata: metadata(merges: ["a b", "ab"]))) {
            guard case let .malformedKey(key, reason)? = $0 as? TokenizerError else { return XCTFail("\($0)") }
            XCTAssertEqual(key, "tokenizer.ggml.merges")
            XCTAssertTrue(reason.contains("entry 1"), reason)
        }
    }

    func testUnsupportedPreTokenizer() {
        assertThrows(.unsupportedPreTokenizer("nonesuch")) { () throws(TokenizerError) in
            _ = try makeTokenizer(metadata: metadata(merges: [], pre: "nonesuch"))
        }
        assertThrows(.unsupportedPreTokenizer("")) { () throws(TokenizerError) in
            _ = try makeTokenizer(metadata: metadata(merges: [], pre: nil))
        }
    }

    func testLowestRankMergesFirst() throws {
        // "abc": "b c" outranks "a b", so "a" + "bc", even though "ab" is a token too.
        let tokenizer = try makeTokenizer(metadata: metadata(merges: ["b c", "a b"], extra: ["bc", "ab"]))
        XCTAssertEqual(tokenizer.encode("abc", addBOS: false, parseSpecial: false), [97, 256])
        XCTAssertEqual(tokenizer.encode("ab", addBOS: false, parseSpecial: false), [257])
        XCTAssertFalse(tokenizer.addBOSByDefault)
        XCTAssertFalse(tokenizer.vocabulary.addSpacePrefix)
    }

    func testBytesRoundTripThroughTheByteLevelAlphabet() throws {
        let tokenizer = try makeTokenizer(metadata: metadata(merges: []))
        let text = "héllo wörld\n\t🦙 \u{7F}"
        let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
        XCTAssertEqual(ids, Array(text.utf8).map { TokenID(byteIndex($0)) })
        XCTAssertEqual(tokenizer.decode(ids), text)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        XCTAssertEqual(ids.map { decoder.append($0) }.joined() + decoder.finish(), text)
    }

    /// Tokens are in byte order, so byte `b`'s token is `b`.
    private func byteIndex(_ byte: UInt8) -> Int { Int(byte) }

    func testLlama3AddsBOSAndQwen2DoesNot() throws {
        let llama3 = try TestSupport.vocabFixtureTokenizer("ggml-vocab-llama-bpe")
        XCTAssertTrue(llama3.addBOSByDefault)
        XCTAssertEqual(llama3.encode("Hello", addBOS: true, parseSpecial: false).first, 128000)
        XCTAssertEqual(llama3.encode("<|eot_id|>", addBOS: false, parseSpecial: true), [128009])
        XCTAssertEqual(llama3.decode([128000, 9906], renderSpecial: true), "<|begin_of_text|>Hello")
        XCTAssertEqual(llama3.decode([128000, 9906]), "Hello")
        let qwen2 = try TestSupport.vocabFixtureTokenizer("ggml-vocab-qwen2")
        XCTAssertFalse(qwen2.addBOSByDefault)
    }

    func testDecodeCleansSpacesLikeLlamaCpp() throws {
        let llama3 = try TestSupport.vocabFixtureTokenizer("ggml-vocab-llama-bpe")
        XCTAssertTrue(llama3.vocabulary.cleanSpaces)
        let cases = [
            ("Hello , world . Why ? No !", "Hello, world. Why? No!"),
            ("I ' m", "I'm"),
            ("it 's he 'll we 're they 've I 'd don 't I 'm", "it's he 'll we're they've I 'd don 't I'm"),
            ("a  ,", "a ,"),
            ("a ' ' b", "a'' b"),
            (" ' x ' ", "'x'"),
            (" ,", ","),
        ]
        for (text, expected) in cases {
            let ids = llama3.encode(text, addBOS: false, parseSpecial: false)
            XCTAssertEqual(llama3.decode(ids), expected, text)
        }
        let qwen2 = try TestSupport.vocabFixtureTokenizer("ggml-vocab-qwen2")
        XCTAssertFalse(qwen2.vocabulary.cleanSpaces)
        XCTAssertEqual(qwen2.decode(qwen2.encode("Hello , world 's", addBOS: false, parseSpecial: false)),
                       "Hello , world 's")
    }
}
