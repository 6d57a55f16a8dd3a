import StrataTokenizer

/// A small hand-built SentencePiece vocabulary for unit tests.
///
/// Ids: 0 `<unk>` (unknown), 1 `<s>` (control, BOS), 2 `</s>` (control, EOS), then, when
/// `byteTokens`, 256 byte tokens `<0x00>`…`<0xFF>`, then `pieces` in order.
struct TinyVocabulary {
    struct Piece {
        let text: String
        let score: Float
        let type: TokenType
        init(_ text: String, _ score: Float = 0, _ type: TokenType = .normal) {
            self.text = text
            self.score = score
            self.type = type
        }
    }

    let vocabulary: Vocabulary
    let tokenizer: any Tokenizer

    init(_ pieces: [Piece], byteTokens: Bool = true, addSpacePrefix: Bool = false, modelName: String? = nil) throws {
        var all: [Piece] = [Piece("<unk>", 0, .unknown), Piece("<s>", 0, .control), Piece("</s>", 0, .control)]
        if byteTokens {
            all += (0 ..< 256).map { Piece("<0x" + String(format: "%02X", $0) + ">", 0, .byte) }
        }
        all += pieces
        vocabulary = try Vocabulary(
            tokens: all.map(\.text), scores: all.map(\.score), types: all.map(\.type),
            specialTokens: SpecialTokens(bos: 1, eos: 2, unk: 0),
            addSpacePrefix: addSpacePrefix, modelName: modelName)
        tokenizer = makeTokenizer(vocabulary: vocabulary)
    }

    /// The id of a piece, which must exist.
    func id(_ piece: String) -> TokenID {
        vocabulary.id(ofPiece: piece) ?? -1
    }

    /// Ids of several pieces.
    func ids(_ pieces: String...) -> [TokenID] {
        pieces.map(id)
    }

    /// Plain encoding: no BOS, special tokens not parsed.
    func encode(_ text: String, parseSpecial: Bool = false) -> [TokenID] {
        tokenizer.encode(text, addBOS: false, parseSpecial: parseSpecial)
    }
}
