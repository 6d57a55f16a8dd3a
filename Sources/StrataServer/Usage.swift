/// Token counts of a response (`usage`).
public struct Usage: Codable, Sendable, Equatable {
    /// `prompt_tokens_details`.
    public struct PromptDetails: Codable, Sendable, Equatable {
        /// Prompt tokens whose KV came from the prefix cache.
        public var cachedTokens: Int

        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var promptTokensDetails: PromptDetails

    /// Usage with `total_tokens` = prompt + completion.
    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        totalTokens = promptTokens + completionTokens
        promptTokensDetails = .init(cachedTokens: cachedTokens)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
    }
}
