/// One request of a workload: what is sent, independent of the endpoint's wire format.
public struct BenchRequest: Sendable, Equatable {
    /// Position in the workload (0-based).
    public var id: Int
    /// The prompt text (sent as `prompt` for completions, as one user message for chat).
    public var prompt: String
    /// `max_tokens` of the request.
    public var maxTokens: Int
    /// The dataset's estimate of the prompt's length in tokens, used when the server reports no usage.
    public var estimatedInputTokens: Int

    /// A request.
    public init(id: Int, prompt: String, maxTokens: Int, estimatedInputTokens: Int) {
        self.id = id
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.estimatedInputTokens = estimatedInputTokens
    }
}

/// A workload: the requests, and for `replay` datasets the recorded send times.
public struct Workload: Sendable, Equatable {
    /// The requests in send order.
    public var requests: [BenchRequest]
    /// Send offsets in seconds from the start, one per request, when the dataset fixes them
    /// (replay); `nil` when the arrival process decides.
    public var recordedOffsets: [Double]?

    /// A workload.
    public init(requests: [BenchRequest], recordedOffsets: [Double]? = nil) {
        self.requests = requests
        self.recordedOffsets = recordedOffsets
    }
}

/// Converts between words of English prose and tokens of a typical subword tokenizer
/// (about 0.75 words per token), for sizing prompts without the server's tokenizer.
public enum TokenEstimate {
    /// Words of prose that make about `tokens` tokens (at least 1).
    public static func words(forTokens tokens: Int) -> Int { max(1, Int((Double(tokens) * 0.75).rounded())) }
    /// Tokens that `text` makes, estimated from its word count (at least 1).
    public static func tokens(in text: String) -> Int {
        max(1, Int((Double(text.split(whereSeparator: \.isWhitespace).count) / 0.75).rounded()))
    }
}
