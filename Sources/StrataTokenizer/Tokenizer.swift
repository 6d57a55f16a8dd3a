import StrataGGUF

/// Text ↔ token ids for one vocabulary. Implemented per tokenizer model (SentencePiece,
/// byte-level BPE); everything model-independent lives in the extension.
public protocol Tokenizer: Sendable {
    /// The vocabulary this tokenizer works on.
    var vocabulary: Vocabulary { get }

    /// The token ids of `text`, as llama.cpp's `llama_tokenize`.
    ///
    /// - Parameters:
    ///   - addBOS: put the BOS token first (when the vocabulary has one). Pass `addBOSByDefault`
    ///     to do what the model expects for a prompt.
    ///   - parseSpecial: turn the text of control tokens (e.g. `<start_of_turn>`) into those
    ///     tokens. When false they are tokenized as plain text. User-defined tokens are matched
    ///     either way, as in llama.cpp.
    func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID]

    /// Appends the bytes token `id` stands for in decoded text, as llama.cpp's `token_to_piece`.
    /// Control and unknown tokens give their text only when `renderSpecial` is set; ids outside
    /// the vocabulary give nothing.
    func appendPiece(_ id: TokenID, renderSpecial: Bool, to bytes: inout [UInt8])
}

extension Tokenizer {
    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// Special-token ids (BOS, EOS, EOT, UNK, PAD, …).
    public var specialTokens: SpecialTokens { vocabulary.specialTokens }

    /// Whether prompts should start with BOS.
    public var addBOSByDefault: Bool { vocabulary.addBOS }

    /// Whether `id` ends generation: EOS, or an end-of-turn token such as Gemma's `<end_of_turn>`.
    public func isEndOfGeneration(_ id: TokenID) -> Bool {
        vocabulary.isEndOfGeneration(id)
    }

    /// The bytes token `id` stands for in decoded text (see `appendPiece`).
    public func piece(_ id: TokenID, renderSpecial: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        appendPiece(id, renderSpecial: renderSpecial, to: &bytes)
        return bytes
    }

    /// The bytes of `ids` decoded, as llama.cpp's `llama_detokenize` with `remove_special = false`:
    /// pieces concatenated, when the vocabulary adds a space prefix the first token's leading
    /// space removed, and when it cleans spaces, llama.cpp's `clean_spaces` applied. (So for
    /// GPT-2 and Llama 3, " ," decodes as ","; concatenate `piece`s for the exact bytes.)
    public func decodeBytes(_ ids: some Sequence<TokenID>, renderSpecial: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        var isFirst = true
        for id in ids {
            let start = bytes.count
            appendPiece(id, renderSpecial: renderSpecial, to: &bytes)
            if isFirst, vocabulary.addSpacePrefix, bytes.count > start, bytes[start] == 0x20 {
                bytes.remove(at: start)
            }
            isFirst = false
        }
        if vocabulary.cleanSpaces { SpaceCleanup.apply(&bytes) }
        return bytes
    }

    /// The text of `ids` (see `decodeBytes`); invalid UTF-8 becomes U+FFFD.
    public func decode(_ ids: some Sequence<TokenID>, renderSpecial: Bool = false) -> String {
        String(decoding: decodeBytes(ids, renderSpecial: renderSpecial), as: UTF8.self)
    }
}

/// The tokenizer for `vocabulary`'s model.
public func makeTokenizer(vocabulary: Vocabulary) -> any Tokenizer {
    switch vocabulary.model {
    case .sentencePiece: SentencePieceTokenizer(vocabulary: vocabulary)
    case .bytePairEncoding:
        // `Vocabulary` refuses a BPE vocabulary without valid merges and a known pre-tokenizer.
        BytePairTokenizer(vocabulary: vocabulary, ranks: vocabulary.bytePairRanks!,
                          preTokenizer: vocabulary.bytePairPreTokenizer!)
    }
}

/// The tokenizer described by GGUF metadata; throws for missing or malformed tokenizer keys and
/// for tokenizer models not implemented yet.
public func makeTokenizer(metadata: GGUFMetadata) throws(TokenizerError) -> any Tokenizer {
    makeTokenizer(vocabulary: try Vocabulary(metadata: metadata))
}
