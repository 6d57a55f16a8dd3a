import Foundation

/// Which OpenAI endpoint a run targets.
public enum Endpoint: String, Sendable, CaseIterable, Codable {
    /// `POST /v1/completions` with `prompt`.
    case completions
    /// `POST /v1/chat/completions` with one user message.
    case chat

    /// The request path.
    public var path: String { self == .completions ? "/v1/completions" : "/v1/chat/completions" }
}

/// Token counts a server reported in `usage`.
public struct Usage: Sendable, Equatable, Codable {
    /// `prompt_tokens`.
    public var promptTokens: Int?
    /// `completion_tokens`.
    public var completionTokens: Int?

    /// Counts as reported.
    public init(promptTokens: Int?, completionTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One generated token's text and log probability, as a server reports with `logprobs`.
public struct TokenLogprob: Sendable, Equatable, Codable {
    /// The token's text.
    public var token: String
    /// Its natural-log probability.
    public var logprob: Double

    /// A token and its log probability.
    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// One decoded message of an OpenAI response: a streamed chunk, the end marker, or an error.
public enum StreamChunk: Sendable, Equatable {
    /// `data: [DONE]`.
    case done
    /// A chunk: its text (empty for role-only or usage-only chunks), finish reason, usage and
    /// the log probabilities of its tokens (when asked for).
    case content(text: String, finishReason: String?, usage: Usage?, logprobs: [TokenLogprob])
    /// An `{"error": ...}` object sent instead of a chunk.
    case error(String)

    /// The payload is not a JSON object of the expected shape.
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        /// What was wrong, with the start of the payload.
        public let description: String
    }

    /// Decodes one SSE `data` payload of a streamed response.
    public static func decode(_ data: String, endpoint: Endpoint) throws(Malformed) -> StreamChunk {
        let trimmed = data.trimmingCharacters(in: .whitespaces)
        if trimmed == "[DONE]" { return .done }
        return try decodeObject(trimmed, endpoint: endpoint, streamed: true)
    }

    /// Decodes a whole non-streamed response body.
    public static func decodeResponse(_ body: String, endpoint: Endpoint) throws(Malformed) -> StreamChunk {
        try decodeObject(body, endpoint: endpoint, streamed: false)
    }

    private static func decodeObject(_ text: String, endpoint: Endpoint, streamed: Bool) throws(Malformed) -> StreamChunk {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw Malformed(description: "not a JSON object: \(text.prefix(80))")
        }
        if let error = object["error"], !(error is NSNull) {
            let message = (error as? [String: Any])?["message"] as? String ?? (error as? String) ?? "\(error)"
            return .error(message)
        }
        let usage = (object["usage"] as? [String: Any]).map {
            Usage(promptTokens: ($0["prompt_tokens"] as? NSNumber)?.intValue,
                  completionTokens: ($0["completion_tokens"] as? NSNumber)?.intValue)
        }
        guard let choices = object["choices"] as? [Any] else {
            throw Malformed(description: "no \"choices\" array: \(text.prefix(80))")
        }
        guard let choice = choices.first as? [String: Any] else {
            return .content(text: "", finishReason: nil, usage: usage, logprobs: [])
        }
        let finish = choice["finish_reason"] as? String
        let text: String?
        switch endpoint {
        case .completions:
            text = choice["text"] as? String
        case .chat:
            text = (choice[streamed ? "delta" : "message"] as? [String: Any])?["content"] as? String
        }
        return .content(text: text ?? "", finishReason: finish, usage: usage, logprobs: logprobs(of: choice))
    }

    /// Completions' `{"tokens": [...], "token_logprobs": [...]}` or chat's
    /// `{"content": [{"token", "logprob"}, ...]}`; empty when absent.
    static func logprobs(of choice: [String: Any]) -> [TokenLogprob] {
        guard let object = choice["logprobs"] as? [String: Any] else { return [] }
        if let tokens = object["tokens"] as? [String], let values = object["token_logprobs"] as? [Any] {
            return zip(tokens, values).map { TokenLogprob(token: $0, logprob: ($1 as? NSNumber)?.doubleValue ?? .nan) }
        }
        if let content = object["content"] as? [[String: Any]] {
            return content.compactMap { entry in
                (entry["token"] as? String).map { TokenLogprob(token: $0, logprob: (entry["logprob"] as? NSNumber)?.doubleValue ?? .nan) }
            }
        }
        return []
    }
}
