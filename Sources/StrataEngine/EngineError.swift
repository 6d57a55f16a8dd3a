/// Why the engine refused a request or could not start.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The prompt has no tokens.
    case emptyPrompt
    /// A prompt token id is outside the vocabulary.
    case invalidToken(Int32, vocabularySize: Int)
    /// The prompt plus `maxTokens` does not fit the context length.
    case contextOverflow(promptTokens: Int, maxTokens: Int, contextLength: Int)
    /// Even alone, the request needs more KV cache than the pool holds.
    case exceedsCachePool(requiredTokens: Int, poolTokens: Int)
    /// A parameter is out of range; `name` is its field.
    case invalidParameter(name: String, reason: String)
    /// `limit` requests are already queued or running.
    case queueFull(limit: Int)
    /// The engine is shutting down and takes no new requests.
    case shuttingDown
    /// A configuration value is out of range.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .emptyPrompt:
            "the prompt is empty"
        case let .invalidToken(id, size):
            "token id \(id) is outside the vocabulary of \(size) tokens"
        case let .contextOverflow(prompt, maxTokens, context):
            "this model's maximum context length is \(context) tokens; the prompt has \(prompt) tokens and \(maxTokens) more were requested (\(prompt + maxTokens) in all)"
        case let .exceedsCachePool(required, pool):
            "the request needs KV cache for \(required) tokens but the cache holds \(pool); raise --kv-cache-mb or shorten the request"
        case let .invalidParameter(name, reason):
            "'\(name)' \(reason)"
        case let .queueFull(limit):
            "the server is at capacity (\(limit) requests queued or running); retry later"
        case .shuttingDown:
            "the server is shutting down"
        case let .invalidConfiguration(message):
            message
        }
    }
}
