/// Why a generation request cannot run.
public enum GenerationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The prompt has no tokens.
    case emptyPrompt
    /// A prompt token id is outside the vocabulary.
    case invalidToken(Int32, vocabularySize: Int)
    /// The prompt plus the requested new tokens do not fit the context.
    case contextOverflow(promptTokens: Int, maxNewTokens: Int, contextLength: Int)
    /// The text to evaluate is too short for even one window.
    case textTooShort(tokens: Int, needed: Int)

    public var description: String {
        switch self {
        case .emptyPrompt:
            "the prompt is empty"
        case let .invalidToken(id, size):
            "token id \(id) is outside the vocabulary of \(size) tokens"
        case let .contextOverflow(prompt, maxNew, context):
            "the prompt (\(prompt) tokens) plus max tokens (\(maxNew)) is \(prompt + maxNew), more than the context length \(context)"
        case let .textTooShort(tokens, needed):
            "the text has \(tokens) tokens; at least \(needed) are needed"
        }
    }
}
