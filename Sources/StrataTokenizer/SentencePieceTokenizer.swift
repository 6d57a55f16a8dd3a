/// SentencePiece tokenization with byte fallback, exactly as llama.cpp's SPM path
/// (`tokenizer.ggml.model = llama`: Llama 1/2, Gemma, Mistral v1, Phi-3).
///
/// Encoding splits the text on special tokens, then for each run of text: prefixes a space when
/// the vocabulary asks for it and the run starts the text or follows a special token, writes
/// spaces as `▁` (U+2581), and merges characters into pieces by score (`SentencePieceMerger`).
public struct SentencePieceTokenizer: Tokenizer {
    /// The vocabulary this tokenizer works on.
    public let vocabulary: Vocabulary
    private let splitter: SpecialTokenSplitter

    private static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]  // "▁"

    /// A tokenizer over `vocabulary`; builds the special-token index once.
    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.splitter = SpecialTokenSplitter(vocabulary: vocabulary)
    }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID] {
        var output: [TokenID] = []
        if addBOS, let bos = vocabulary.specialTokens.bos {
            output.append(bos)
        }
        let utf8 = Array(text.utf8)
        var merger = SentencePieceMerger()
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 3)
        utf8.withUnsafeBufferPointer { input in
            var followsSpecial = true
            for fragment in splitter.split(input, parseSpecial: parseSpecial) {
                switch fragment {
                case let .token(id):
                    output.append(id)
                    followsSpecial = true
                case let .text(range):
                    escaped.removeAll(keepingCapacity: true)
                    if vocabulary.addSpacePrefix, followsSpecial {
                        escaped.append(contentsOf: Self.escapedSpace)
                    }
                    for byte in input[range] {
                        if byte == 0x20 {
                            escaped.append(contentsOf: Self.escapedSpace)
                        } else {
                            escaped.append(byte)
                        }
                    }
                    escaped.withUnsafeBufferPointer { merger.tokenize($0, vocabulary: vocabulary, into: &output) }
                    followsSpecial = false
                }
            }
        }
        return output
    }

    public func appendPiece(_ id: TokenID, renderSpecial: Bool, to bytes: inout [UInt8]) {
        guard vocabulary.contains(id) else { return }
        let attributes = vocabulary.attributes[Int(id)]
        let piece = vocabulary.pieces.piece(Int(id))
        if !attributes.isDisjoint(with: .special) {
            if renderSpecial { bytes.append(contentsOf: piece) }
        } else if attributes.contains(.userDefined) {
            bytes.append(contentsOf: piece)
        } else if attributes.contains(.normal) {
            Self.appendUnescaped(piece, to: &bytes)
        } else if attributes.contains(.byte) {
            bytes.append(Self.byteValue(piece))
        }
        // Unused and undefined tokens render as nothing, as in llama.cpp.
    }

    /// `piece` with every `▁` turned back into a space.
    private static func appendUnescaped(_ piece: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
        var index = piece.startIndex
        while index < piece.endIndex {
            if piece[index] == 0xE2, index + 2 < piece.endIndex, piece[index + 1] == 0x96, piece[index + 2] == 0x81 {
                bytes.append(0x20)
                index += 3
            } else {
                bytes.append(piece[index])
                index += 1
            }
        }
    }

    /// The byte of a `<0xXX>` piece, read like llama.cpp's `strtol(text.substr(3, 2), 16)`.
    private static func byteValue(_ piece: ArraySlice<UInt8>) -> UInt8 {
        var value: UInt8 = 0
        for byte in piece.dropFirst(3).prefix(2) {
            guard let digit = hexDigit(byte) else { break }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30 ... 0x39: byte - 0x30
        case 0x41 ... 0x46: byte - 0x41 + 10
        case 0x61 ... 0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
