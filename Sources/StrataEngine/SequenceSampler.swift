/// A chosen token and, when asked for, its logprob and the most likely alternatives.
public struct SampledToken: Sendable, Equatable {
    /// The token.
    public var token: Int32
    /// Its logprob entry, when the request asked for logprobs.
    public var logprob: TokenLogprob?

    /// A sampled `token` with its optional `logprob` entry.
    public init(token: Int32, logprob: TokenLogprob?) {
        self.token = token
        self.logprob = logprob
    }
}

/// Chooses one sequence's tokens from its rows of logits: bias and penalties over its history,
/// suppression of ending tokens before `minTokens`, then the `Sampler`, with logprobs of the
/// model's own distribution. It lives wherever the logits are (the last pipeline stage), so
/// logits never travel.
public struct SequenceSampler: Sendable {
    /// Everything that determines a sequence's choices: a plain value, so a pipeline can send
    /// it to the stage that holds the logits.
    public struct Configuration: Sendable, Equatable {
        /// How tokens are chosen (including the seed and penalties).
        public var parameters: SamplingParameters
        /// The prompt (the repetition penalty counts its tokens).
        public var prompt: [Int32]
        /// `endTokens` are not chosen before this many tokens.
        public var minTokens: Int
        /// End-of-generation and stop token ids.
        public var endTokens: Set<Int32>
        /// Alternatives reported per token; nil reports no logprobs.
        public var topLogprobs: Int?

        /// A configuration of the fields above.
        public init(parameters: SamplingParameters, prompt: [Int32], minTokens: Int, endTokens: Set<Int32>, topLogprobs: Int?) {
            self.parameters = parameters
            self.prompt = prompt
            self.minTokens = minTokens
            self.endTokens = endTokens
            self.topLogprobs = topLogprobs
        }

        /// The configuration of `request`, whose ending tokens are `endOfGeneration` (unless it
        /// ignores them) and its stop ids.
        public init(request: GenerationRequest, endOfGeneration: Set<Int32>) {
            self.init(
                parameters: request.sampling, prompt: request.prompt, minTokens: request.minTokens,
                endTokens: (request.ignoreEndOfGeneration ? [] : endOfGeneration).union(request.stopTokenIDs),
                topLogprobs: request.topLogprobs)
        }
    }

    private var sampler: Sampler
    private var adjustment: LogitAdjustment
    private let parameters: SamplingParameters
    private let minTokens: Int
    private let endTokens: Set<Int32>
    private let topLogprobs: Int?
    /// Tokens chosen so far.
    public private(set) var generatedCount = 0

    /// A fresh sampler for `configuration`.
    public init(_ configuration: Configuration) {
        sampler = Sampler(parameters: configuration.parameters)
        adjustment = LogitAdjustment(parameters: configuration.parameters, prompt: configuration.prompt)
        parameters = configuration.parameters
        minTokens = configuration.minTokens
        endTokens = configuration.endTokens
        topLogprobs = configuration.topLogprobs
    }

    /// Chooses the next token from `count` raw logits (modified in place) and records it.
    public mutating func choose(from logits: UnsafeMutablePointer<Float>, count: Int) -> SampledToken {
        let softmax = topLogprobs.map { _ in LogSoftmax(logits, count: count) }
        let top = softmax?.top(topLogprobs ?? 0, of: logits, count: count) ?? []
        let suppressed = generatedCount >= minTokens ? [] : endTokens
        var originals: [Int32: Float] = [:]
        if parameters.adjustsLogits || !suppressed.isEmpty {
            originals = adjustment.apply(to: logits, count: count, suppressing: suppressed, keepingOriginals: softmax != nil)
        }
        let token = sampler.sample(logits, count: count)
        adjustment.record(token)
        generatedCount += 1
        guard let softmax else { return SampledToken(token: token, logprob: nil) }
        let raw = originals[token] ?? logits[Int(token)]
        return SampledToken(token: token, logprob: TokenLogprob(token: token, logprob: softmax.logprob(raw), top: top))
    }
}
