/// The body of `POST /v1/completions`.
public struct CompletionRequest: Decodable, Sendable, Equatable {
    /// What to continue.
    public var prompt: PromptInput
    /// For each generated token, report this many most likely alternatives (OpenAI: 0...5; here 0...20).
    public var logprobs: Int?
    /// Echo the prompt before the completion (not supported; refused when true).
    public var echo: Bool?
    /// Text after the completion (not supported; refused when set).
    public var suffix: String?
    /// `best_of` (supported only when it equals `n`).
    public var bestOf: Int?
    /// The shared sampling and length fields.
    public var parameters: GenerationParameters

    enum CodingKeys: String, CodingKey {
        case prompt, logprobs, echo, suffix
        case bestOf = "best_of"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(PromptInput.self, forKey: .prompt)
        logprobs = try container.decodeIfPresent(Int.self, forKey: .logprobs)
        echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
        suffix = try container.decodeIfPresent(String.self, forKey: .suffix)
        bestOf = try container.decodeIfPresent(Int.self, forKey: .bestOf)
        parameters = try GenerationParameters(from: decoder)
    }
}

/// A completions `prompt`: a string, an array of strings, an array of token ids, or an array of
/// token-id arrays. Each element of an array is a separate prompt with its own choices.
public enum PromptInput: Decodable, Sendable, Equatable {
    /// Prompts given as text.
    case texts([String])
    /// Prompts given as token ids (used as is: no BOS is added).
    case tokens([[Int32]])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .texts([text])
        } else if let texts = try? container.decode([String].self) {
            self = .texts(texts)
        } else if let ids = try? container.decode([Int32].self) {
            self = .tokens([ids])
        } else if let batches = try? container.decode([[Int32]].self) {
            self = .tokens(batches)
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath,
                      debugDescription: "a string, an array of strings, an array of token ids or an array of such arrays"))
        }
    }
}
