/// A token id, as llama.cpp's `llama_token`.
public typealias TokenID = Int32

/// The kind of a token as stored in GGUF `tokenizer.ggml.token_type` (SentencePiece's numbering).
public enum TokenType: Int, Sendable, CaseIterable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6

    /// The type stored in GGUF; numbers outside the known range are `undefined`, as in llama.cpp.
    public init(gguf value: Int) {
        self = TokenType(rawValue: value) ?? .undefined
    }
}

/// Per-token flags, as llama.cpp's `llama_token_attr`. Derived from `TokenType` and then adjusted
/// by the vocabulary (e.g. end-of-generation tokens become `control`).
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The unknown token (`<unk>`).
    public static let unknown = TokenAttributes(rawValue: 1 << 0)
    /// A reserved token that never occurs (e.g. Gemma's `<unused0>`).
    public static let unused = TokenAttributes(rawValue: 1 << 1)
    /// An ordinary piece; `▁` in it stands for a space.
    public static let normal = TokenAttributes(rawValue: 1 << 2)
    /// A control token (BOS, EOS, `<start_of_turn>`): hidden in output unless asked for.
    public static let control = TokenAttributes(rawValue: 1 << 3)
    /// A user-defined piece, matched verbatim in text and always rendered.
    public static let userDefined = TokenAttributes(rawValue: 1 << 4)
    /// A byte-fallback token `<0xXX>`.
    public static let byte = TokenAttributes(rawValue: 1 << 5)
    /// Strip whitespace to the left of this special token when splitting text on it.
    public static let leftStrip = TokenAttributes(rawValue: 1 << 7)
    /// Strip whitespace to the right of this special token when splitting text on it.
    public static let rightStrip = TokenAttributes(rawValue: 1 << 8)

    /// Tokens rendered only when special tokens are asked for, and never matched in text
    /// unless special-token parsing is on.
    public static let special: TokenAttributes = [.control, .unknown]

    /// The attributes llama.cpp gives a token of `type`.
    public init(_ type: TokenType) {
        switch type {
        case .undefined: self = []
        case .normal: self = .normal
        case .unknown: self = .unknown
        case .control: self = .control
        case .userDefined: self = .userDefined
        case .unused: self = .unused
        case .byte: self = .byte
        }
    }
}
