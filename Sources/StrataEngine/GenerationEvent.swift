/// What a running request reports, in order: any number of `output`s, then one `finished`.
public enum GenerationEvent: Sendable, Equatable {
    /// New tokens and the text that became safe to show (possibly empty while a character or a
    /// possible stop string is incomplete; possibly text without tokens when the end flushes it).
    case output(GenerationOutput)
    /// The request is over; no event follows.
    case finished(GenerationSummary)
}

/// Tokens generated in one step, with their text and logprobs.
public struct GenerationOutput: Sendable, Equatable {
    /// Token ids generated (one per engine step).
    public var tokens: [Int32]
    /// Text released with them.
    public var text: String
    /// One entry per token when the request asked for logprobs, else empty.
    public var logprobs: [TokenLogprob]

    /// An output of `tokens`, `text` and `logprobs`.
    public init(tokens: [Int32], text: String, logprobs: [TokenLogprob] = []) {
        self.tokens = tokens
        self.text = text
        self.logprobs = logprobs
    }
}

/// How a request ended, with its token counts.
public struct GenerationSummary: Sendable, Equatable {
    /// Why generation ended, in OpenAI's terms plus the engine's own.
    public enum FinishReason: String, Sendable, Equatable {
        /// An end-of-generation token, a stop token or a stop string.
        case stop
        /// `maxTokens` tokens were generated.
        case length
        /// The caller cancelled it (or went away).
        case cancelled
        /// The engine shut down before the request could finish.
        case abort
        /// The executor could not run a step of the request (a worker of the pipeline failed,
        /// missed the step deadline or was unreachable); its KV cache is gone.
        case failed
    }

    /// What exactly stopped a `.stop` request.
    public enum StopCause: Sendable, Equatable {
        /// The model's end-of-generation token.
        case endOfGeneration(Int32)
        /// One of the request's `stopTokenIDs`.
        case stopToken(Int32)
        /// One of the request's stop strings.
        case stopSequence(String)
    }

    /// Why generation ended.
    public var finishReason: FinishReason
    /// For `.stop`, what matched.
    public var stopCause: StopCause?
    /// Prompt tokens.
    public var promptTokens: Int
    /// Of those, the tokens whose KV came from the prefix cache.
    public var cachedPromptTokens: Int
    /// Tokens generated (an end-of-generation token counts; a cut stop string's tokens too).
    public var completionTokens: Int
    /// How many times the request was preempted and recomputed.
    public var preemptions: Int
}
