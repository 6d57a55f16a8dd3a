import StrataEngine
import StrataTokenizer

/// Logprobs in the completions format: parallel arrays over the generated tokens.
public struct CompletionLogprobs: Codable, Sendable, Equatable {
    public var tokens: [String]
    public var tokenLogprobs: [Float]
    /// Per token, the alternatives' text → logprob.
    public var topLogprobs: [[String: Float]]
    /// Per token, its character offset in the choice's text.
    public var textOffset: [Int]

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }

    /// Logprobs of `steps`, the first of which starts at character `offset` of the text.
    init(_ steps: [TokenLogprob], tokenizer: any Tokenizer, offset: Int) {
        var offset = offset
        tokens = []
        tokenLogprobs = []
        topLogprobs = []
        textOffset = []
        for step in steps {
            let text = tokenizer.tokenText(step.token)
            tokens.append(text)
            tokenLogprobs.append(step.logprob)
            var top: [String: Float] = [:]
            for alternative in step.top { top[tokenizer.tokenText(alternative.token)] = top[tokenizer.tokenText(alternative.token)] ?? alternative.logprob }
            topLogprobs.append(top)
            textOffset.append(offset)
            offset += text.count
        }
    }
}

/// Logprobs in the chat format: one entry per generated token.
public struct ChatLogprobs: Codable, Sendable, Equatable {
    /// One token with its alternatives.
    public struct Entry: Codable, Sendable, Equatable {
        public var token: String
        public var logprob: Float
        public var bytes: [UInt8]
        public var topLogprobs: [Alternative]

        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    /// One alternative.
    public struct Alternative: Codable, Sendable, Equatable {
        public var token: String
        public var logprob: Float
        public var bytes: [UInt8]
    }

    public var content: [Entry]

    /// Logprobs of `steps`.
    init(_ steps: [TokenLogprob], tokenizer: any Tokenizer) {
        content = steps.map { step in
            Entry(
                token: tokenizer.tokenText(step.token), logprob: step.logprob, bytes: tokenizer.piece(step.token),
                topLogprobs: step.top.map {
                    Alternative(token: tokenizer.tokenText($0.token), logprob: $0.logprob, bytes: tokenizer.piece($0.token))
                })
        }
    }
}

extension Tokenizer {
    /// A token's text as shown in logprobs (invalid UTF-8 of a partial character repaired).
    func tokenText(_ id: TokenID) -> String {
        String(decoding: piece(id), as: UTF8.self)
    }
}
