/// The body of `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Decodable, Sendable, Equatable {
    /// The conversation, oldest first.
    public var messages: [Message]
    /// Report each generated token's logprob.
    public var logprobs: Bool?
    /// With `logprobs`, this many most likely alternatives per token (0...20).
    public var topLogprobs: Int?
    /// Tools (not supported; refused when non-empty).
    public var tools: [JSONIgnored]?
    /// The shared sampling and length fields.
    public var parameters: GenerationParameters

    /// One chat message: a role and text content (a string or an array of `text` parts).
    public struct Message: Decodable, Sendable, Equatable {
        public var role: String
        public var content: String

        enum CodingKeys: String, CodingKey { case role, content }

        struct Part: Decodable {
            var type: String
            var text: String?
        }

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if try container.decodeNil(forKey: .content) {
                content = ""
            } else if let text = try? container.decode(String.self, forKey: .content) {
                content = text
            } else {
                let parts = try container.decode([Part].self, forKey: .content)
                guard parts.allSatisfy({ $0.type == "text" }) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .content, in: container, debugDescription: "only 'text' content parts are supported")
                }
                content = parts.compactMap(\.text).joined()
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case messages, logprobs, tools
        case topLogprobs = "top_logprobs"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decode([Message].self, forKey: .messages)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        tools = try container.decodeIfPresent([JSONIgnored].self, forKey: .tools)
        parameters = try GenerationParameters(from: decoder)
    }
}

/// Any JSON value, skipped: stands for fields whose presence matters but not their content.
public struct JSONIgnored: Decodable, Sendable, Equatable {
    public init(from decoder: any Decoder) throws {}
}
