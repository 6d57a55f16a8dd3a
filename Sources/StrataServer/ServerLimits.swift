/// Limits the server enforces on requests.
public struct ServerLimits: Sendable, Equatable {
    /// Largest accepted request body, in bytes (larger: 413).
    public var maxBodyBytes: Int
    /// Default `max_tokens` of `/v1/completions` (OpenAI's is 16).
    public var defaultCompletionTokens: Int

    /// Limits; the defaults suit OpenAI clients.
    public init(maxBodyBytes: Int = 4 << 20, defaultCompletionTokens: Int = 16) {
        self.maxBodyBytes = maxBodyBytes
        self.defaultCompletionTokens = defaultCompletionTokens
    }
}
