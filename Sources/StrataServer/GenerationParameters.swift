/// The sampling and length fields `/v1/completions` and `/v1/chat/completions` share, decoded
/// from the same JSON object as the rest of the request (OpenAI's names plus vLLM's and
/// llama.cpp's extensions `top_k`, `min_p`, `repetition_penalty`, `priority`, `ignore_eos`,
/// `min_tokens`).
public struct GenerationParameters: Decodable, Sendable, Equatable {
    /// Which model answers; nil means the served one.
    public var model: String?
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var n: Int?
    public var stop: StopSequences?
    public var seed: Int64?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var repetitionPenalty: Double?
    /// Token id (as a JSON object key) → bias added to its logit.
    public var logitBias: [String: Double]?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    public var user: String?
    public var priority: Int?
    public var ignoreEos: Bool?
    public var minTokens: Int?

    /// `stream_options`.
    public struct StreamOptions: Decodable, Sendable, Equatable {
        /// Send a last chunk with `usage` (and `usage: null` on the others).
        public var includeUsage: Bool?

        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum CodingKeys: String, CodingKey {
        case model, temperature, n, stop, seed, stream, user, priority
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case repetitionPenalty = "repetition_penalty"
        case logitBias = "logit_bias"
        case streamOptions = "stream_options"
        case ignoreEos = "ignore_eos"
        case minTokens = "min_tokens"
    }
}

/// `stop`: one string or an array of strings.
public struct StopSequences: Decodable, Sendable, Equatable {
    /// The stop strings.
    public var values: [String]

    public init(_ values: [String]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }
}
