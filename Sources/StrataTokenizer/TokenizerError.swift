/// Everything that can be wrong with a tokenizer's vocabulary. Each case names the GGUF key involved.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata key holds a value of the wrong type or shape.
    case malformedKey(String, reason: String)
    /// A per-token array does not have one entry per token.
    case countMismatch(key: String, expected: Int, found: Int)
    /// A special-token id lies outside the vocabulary.
    case specialTokenOutOfRange(key: String, id: Int, vocabularySize: Int)
    /// Two token ids share the same piece text.
    case duplicateToken(piece: String, firstID: Int, secondID: Int)
    /// The vocabulary holds no tokens.
    case emptyVocabulary
    /// `tokenizer.ggml.model` names a tokenizer Strata does not implement (yet).
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a BPE pre-tokenizer Strata does not implement (empty when absent).
    case unsupportedPreTokenizer(String)

    public var description: String {
        switch self {
        case let .missingKey(key): "tokenizer metadata key '\(key)' is missing"
        case let .malformedKey(key, reason): "tokenizer metadata key '\(key)' is malformed: \(reason)"
        case let .countMismatch(key, expected, found):
            "tokenizer metadata key '\(key)' has \(found) entries, expected one per token (\(expected))"
        case let .specialTokenOutOfRange(key, id, size):
            "special token '\(key)' = \(id) is outside the vocabulary (size \(size))"
        case let .duplicateToken(piece, first, second):
            "duplicate token in vocabulary: '\(piece)' has ids \(first) and \(second)"
        case .emptyVocabulary: "tokenizer vocabulary is empty"
        case let .unsupportedModel(name): "unsupported tokenizer model '\(name)'"
        case let .unsupportedPreTokenizer(name):
            "unsupported pre-tokenizer '\(name)' (tokenizer.ggml.pre) for BPE"
        }
    }
}
