/// The body of a non-streamed `/v1/completions` answer, and (with `object` =
/// `text_completion` too, as OpenAI does) of each streamed chunk.
public struct CompletionResponse: Codable, Sendable, Equatable {
    /// One choice.
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        public var text: String
        public var logprobs: CompletionLogprobs?
        /// `stop` or `length`; null in a streamed chunk before the last.
        public var finishReason: String?

        public init(index: Int, text: String, logprobs: CompletionLogprobs?, finishReason: String?) {
            self.index = index
            self.text = text
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, text, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var systemFingerprint: String
    public var choices: [Choice]
    /// Present on a non-streamed answer and on the last chunk when `include_usage` is set.
    public var usage: Usage?

    public init(id: String, created: Int, model: String, systemFingerprint: String, choices: [Choice], usage: Usage?) {
        self.id = id
        object = "text_completion"
        self.created = created
        self.model = model
        self.systemFingerprint = systemFingerprint
        self.choices = choices
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}
