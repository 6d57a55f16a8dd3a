/// The body of a non-streamed `/v1/chat/completions` answer.
public struct ChatCompletionResponse: Codable, Sendable, Equatable {
    /// The assistant's reply.
    public struct Message: Codable, Sendable, Equatable {
        public var role: String
        public var content: String
    }

    /// One choice.
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        public var message: Message
        public var logprobs: ChatLogprobs?
        public var finishReason: String

        public init(index: Int, message: Message, logprobs: ChatLogprobs?, finishReason: String) {
            self.index = index
            self.message = message
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    public var id: String
    public var object = "chat.completion"
    public var created: Int
    public var model: String
    public var systemFingerprint: String
    public var choices: [Choice]
    public var usage: Usage

    public init(id: String, created: Int, model: String, systemFingerprint: String, choices: [Choice], usage: Usage) {
        self.id = id
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

/// One streamed `/v1/chat/completions` chunk (`chat.completion.chunk`).
public struct ChatCompletionChunk: Codable, Sendable, Equatable {
    /// What a chunk adds to the message.
    public struct Delta: Codable, Sendable, Equatable {
        public var role: String?
        public var content: String?
    }

    /// One choice's part of a chunk.
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        public var delta: Delta
        public var logprobs: ChatLogprobs?
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    public var id: String
    public var object = "chat.completion.chunk"
    public var created: Int
    public var model: String
    public var systemFingerprint: String
    public var choices: [Choice]
    public var usage: Usage?

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}
