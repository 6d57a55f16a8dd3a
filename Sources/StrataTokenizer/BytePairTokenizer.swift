/// Byte-level BPE tokenization, exactly as llama.cpp's BPE path (`tokenizer.ggml.model = gpt2`:
/// GPT-2, Llama 3, Qwen2, …).
///
/// Encoding splits the text on special tokens, then each run of text into words with the
/// vocabulary's pre-tokenizer regex; each word's bytes are written in GPT-2's byte-level alphabet
/// (`ByteLevelMapping`) and merged by rank (`BytePairEncoder`). Decoding maps pieces back to bytes.
public struct BytePairTokenizer: Tokenizer {
    /// The vocabulary this tokenizer works on.
    public let vocabulary: Vocabulary
    private let ranks: BytePairRanks
    private let preTokenizer: PreTokenizer
    private let splitter: SpecialTokenSplitter
    private let wordSplitter: PreTokenizerSplitter

    /// A tokenizer over `vocabulary`, which must be a byte-level BPE vocabulary
    /// (`model == .bytePairEncoding`, as `Vocabulary` guarantees for that model).
    init(vocabulary: Vocabulary, ranks: BytePairRanks, preTokenizer: PreTokenizer) {
        self.vocabulary = vocabulary
        self.ranks = ranks
        self.preTokenizer = preTokenizer
        self.splitter = SpecialTokenSplitter(vocabulary: vocabulary)
        self.wordSplitter = PreTokenizerSplitter(preTokenizer)
    }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID] {
        var output: [TokenID] = []
        if addBOS, let bos = vocabulary.specialTokens.bos {
            output.append(bos)
        }
        let utf8 = Array(text.utf8)
        var encoder = BytePairEncoder()
        var word: [UInt8] = []
        utf8.withUnsafeBufferPointer { input in
            for fragment in splitter.split(input, parseSpecial: parseSpecial) {
                switch fragment {
                case let .token(id):
                    output.append(id)
                case let .text(range):
                    let run = UnsafeBufferPointer(rebasing: input[range])
                    for wordRange in wordSplitter.split(run) {
                        word.removeAll(keepingCapacity: true)
                        ByteLevelMapping.appendEncoded(UnsafeBufferPointer(rebasing: run[wordRange]), to: &word)
                        word.withUnsafeBufferPointer {
                            encoder.tokenize($0, vocabulary: vocabulary, ranks: ranks,
                                             ignoresMerges: preTokenizer.ignoresMerges, into: &output)
                        }
                    }
                }
            }
        }
        return output
    }

    /// As llama.cpp: control and unknown tokens give their text only when `renderSpecial`;
    /// user-defined tokens give their text as is; normal tokens their bytes; others nothing.
    public func appendPiece(_ id: TokenID, renderSpecial: Bool, to bytes: inout [UInt8]) {
        guard vocabulary.contains(id) else { return }
        let attributes = vocabulary.attributes[Int(id)]
        let piece = vocabulary.pieces.piece(Int(id))
        if !attributes.isDisjoint(with: .special) {
            if renderSpecial { bytes.append(contentsOf: piece) }
        } else if attributes.contains(.userDefined) {
            bytes.append(contentsOf: piece)
        } else if attributes.contains(.normal) {
            ByteLevelMapping.appendDecoded(piece, to: &bytes)
        }
    }
}
