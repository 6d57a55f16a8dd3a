/// A tokenizer vocabulary: pieces, scores, token attributes, special tokens and flags, validated
/// once and indexed for fast lookup (piece → id hash table, byte-fallback table, special-token order).
public struct Vocabulary: Sendable {
    /// The algorithm this vocabulary is for.
    public let model: TokenizerModel
    /// The pre-tokenizer name (GGUF `tokenizer.ggml.pre`), if given.
    public let preTokenizer: String?
    /// Special-token ids, after llama.cpp's detection of unnamed ones (e.g. `<end_of_turn>` as EOT).
    public let specialTokens: SpecialTokens
    /// Tokens that end generation: EOS, EOT, EOM and llama.cpp's list of end-like token texts.
    public let endOfGenerationIDs: Set<TokenID>
    /// Whether prompts start with BOS by default (GGUF `tokenizer.ggml.add_bos_token`).
    public let addBOS: Bool
    /// Whether prompts end with EOS by default (GGUF `tokenizer.ggml.add_eos_token`).
    public let addEOS: Bool
    /// Whether text after the start or a special token gets a leading space (`tokenizer.ggml.add_space_prefix`).
    public let addSpacePrefix: Bool
    /// Whether decoding removes spaces before punctuation and contractions, as llama.cpp's
    /// `clean_spaces` (GPT-2 and Llama 3 BPE vocabularies; see `SpaceCleanup`).
    public let cleanSpaces: Bool

    let pieces: PieceTable
    let scores: [Float]
    let attributes: [TokenAttributes]
    /// Control, user-defined and unknown tokens in the order llama.cpp splits text on them:
    /// longest piece first, lower id first among equal lengths.
    let specialTokensBySplitOrder: [TokenID]
    /// The token for each byte value used by byte fallback: `<0xXX>`, else the one-byte piece, else nil.
    let byteTokens: [TokenID?]
    /// BPE merge ranks; set exactly when `model` is `.bytePairEncoding`.
    let bytePairRanks: BytePairRanks?
    /// The BPE pre-tokenizer; set exactly when `model` is `.bytePairEncoding`.
    let bytePairPreTokenizer: PreTokenizer?

    /// Number of tokens.
    public var count: Int { scores.count }

    /// A vocabulary from its parts, with llama.cpp's derivations applied (special-token detection
    /// by text, end-of-generation set, attribute fixes).
    ///
    /// - Parameters:
    ///   - tokens: piece texts by id; SentencePiece writes spaces as `▁` (U+2581). Empty pieces are
    ///     renamed `[EMPTY_<id>]` as llama.cpp does.
    ///   - scores: merge scores by id (higher merges first); nil means all zero.
    ///   - types: token types by id; nil means all normal.
    ///   - specialTokens: special ids; each must lie inside the vocabulary.
    ///   - cleanSpaces: whether `decode` applies llama.cpp's `clean_spaces`.
    ///   - merges: BPE merges `"left right"` in rank order; required for `.bytePairEncoding`, which
    ///     also requires `preTokenizer` to name a supported pre-tokenizer.
    ///   - modelName: `general.name`, used only for llama.cpp's per-model attribute fixes (Phi-3).
    public init(
        model: TokenizerModel = .sentencePiece,
        preTokenizer: String? = nil,
        tokens: [String],
        scores: [Float]? = nil,
        merges: [String]? = nil,
        types: [TokenType]? = nil,
        specialTokens: SpecialTokens,
        addBOS: Bool = true,
        addEOS: Bool = false,
        addSpacePrefix: Bool = true,
        cleanSpaces: Bool = false,
        modelName: String? = nil
    ) throws(TokenizerError) {
        guard !tokens.isEmpty else { throw .emptyVocabulary }
        if let scores, scores.count != tokens.count {
            throw .countMismatch(key: GGUFKey.scores, expected: tokens.count, found: scores.count)
        }
        if let types, types.count != tokens.count {
            throw .countMismatch(key: GGUFKey.tokenTypes, expected: tokens.count, found: types.count)
        }
        for (key, path) in SpecialTokens.ggufKeys {
            if let id = specialTokens[keyPath: path], id < 0 || Int(id) >= tokens.count {
                throw .specialTokenOutOfRange(key: key, id: Int(id), vocabularySize: tokens.count)
            }
        }

        var pieceTexts = tokens
        for id in pieceTexts.indices where pieceTexts[id].isEmpty {
            pieceTexts[id] = "[EMPTY_\(id)]"
        }
        let pieces = try PieceTable(pieces: pieceTexts)
        if model == .bytePairEncoding {
            guard let merges else { throw .missingKey(GGUFKey.merges) }
            self.bytePairPreTokenizer = try PreTokenizer(ggufName: preTokenizer)
            self.bytePairRanks = try BytePairRanks(merges: merges, pieces: pieces)
        } else {
            self.bytePairPreTokenizer = nil
            self.bytePairRanks = nil
        }

        var derived = DerivedSpecialTokens(
            special: specialTokens,
            attributes: types.map { $0.map(TokenAttributes.init) }
                ?? Array(repeating: .normal, count: tokens.count))
        derived.apply(pieces: pieces, modelName: modelName)

        self.model = model
        self.preTokenizer = preTokenizer
        self.specialTokens = derived.special
        self.endOfGenerationIDs = derived.endOfGeneration
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.cleanSpaces = cleanSpaces
        self.pieces = pieces
        self.scores = scores ?? Array(repeating: 0, count: tokens.count)
        self.attributes = derived.attributes
        self.specialTokensBySplitOrder = Self.splitOrder(attributes: derived.attributes, pieces: pieces)
        self.byteTokens = Self.byteTokens(pieces: pieces)
    }

    /// Whether `id` is a token of this vocabulary.
    public func contains(_ id: TokenID) -> Bool {
        id >= 0 && Int(id) < count
    }

    /// The raw piece text of `id`, or nil when out of range. SentencePiece writes spaces as `▁` and
    /// byte tokens as `<0xXX>`; byte-level BPE writes bytes in GPT-2's alphabet (a space as `Ġ`).
    public func piece(_ id: TokenID) -> String? {
        guard contains(id) else { return nil }
        return String(decoding: pieces.piece(Int(id)), as: UTF8.self)
    }

    /// The id whose raw piece text is exactly `piece`, if any.
    public func id(ofPiece piece: String) -> TokenID? {
        pieces.id(of: piece.utf8)
    }

    /// The merge score of `id`, or nil when out of range.
    public func score(_ id: TokenID) -> Float? {
        contains(id) ? scores[Int(id)] : nil
    }

    /// The attributes of `id`; empty when out of range.
    public func attributes(_ id: TokenID) -> TokenAttributes {
        contains(id) ? attributes[Int(id)] : []
    }

    /// Whether generating `id` ends generation (EOS, EOT such as Gemma's `<end_of_turn>`, EOM, …).
    public func isEndOfGeneration(_ id: TokenID) -> Bool {
        endOfGenerationIDs.contains(id)
    }

    private static func splitOrder(attributes: [TokenAttributes], pieces: PieceTable) -> [TokenID] {
        let splitting: TokenAttributes = [.control, .userDefined, .unknown]
        let ids = attributes.indices.filter { !attributes[$0].isDisjoint(with: splitting) }
        return ids.sorted { a, b in
            let (lengthA, lengthB) = (pieces.length(of: a), pieces.length(of: b))
            return lengthA != lengthB ? lengthA > lengthB : a < b
        }.map { TokenID($0) }
    }

    private static func byteTokens(pieces: PieceTable) -> [TokenID?] {
        let hex = Array("0123456789ABCDEF".utf8)
        return (0 ..< 256).map { byte in
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]  // "<0xXX>"
            return pieces.id(of: name) ?? pieces.id(of: [UInt8(byte)])
        }
    }
}

/// GGUF keys the vocabulary reads.
enum GGUFKey {
    static let model = "tokenizer.ggml.model"
    static let preTokenizer = "tokenizer.ggml.pre"
    static let tokens = "tokenizer.ggml.tokens"
    static let scores = "tokenizer.ggml.scores"
    static let merges = "tokenizer.ggml.merges"
    static let tokenTypes = "tokenizer.ggml.token_type"
    static let addBOS = "tokenizer.ggml.add_bos_token"
    static let addEOS = "tokenizer.ggml.add_eos_token"
    static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
    static let modelName = "general.name"
}
