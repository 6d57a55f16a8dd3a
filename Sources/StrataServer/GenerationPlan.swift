import StrataEngine

/// What one API request asks the engine for: a `GenerationRequest` per choice (choice `i` of
/// prompt `p` is at index `p * n + i`), after every parameter was checked.
public struct GenerationPlan: Sendable, Equatable {
    /// One engine request per choice, in choice-index order.
    public var requests: [GenerationRequest]
    /// Choices per prompt.
    public var n: Int
    /// Whether to answer with Server-Sent Events.
    public var stream: Bool
    /// Whether a streamed answer ends with a usage chunk.
    public var includeUsage: Bool
    /// Whether each token's logprob is reported (with `requests[i].topLogprobs` alternatives).
    public var reportsLogprobs: Bool

    /// Most choices a request may ask for.
    public static let maxChoices = 16
    /// Most stop strings.
    public static let maxStopSequences = 16
    /// Most alternatives per token.
    public static let maxTopLogprobs = 20

    /// Checks `parameters` and builds the engine requests for `prompts`.
    ///
    /// - Parameters:
    ///   - defaultMaxTokens: The length limit for a prompt of the given token count when the
    ///     request sets none.
    ///   - topLogprobs: nil for no logprobs, else the alternatives per token.
    ///   - vocabularySize: Bounds the ids in `logit_bias`.
    public init(
        parameters: GenerationParameters, prompts: [[Int32]], topLogprobs: Int?, vocabularySize: Int,
        defaultMaxTokens: (Int) -> Int
    ) throws(APIError) {
        let p = parameters
        let n = p.n ?? 1
        guard (1 ... Self.maxChoices).contains(n) else {
            throw .invalidRequest("'n' must be between 1 and \(Self.maxChoices), got \(n)", param: "n")
        }
        let maxTokens = p.maxCompletionTokens ?? p.maxTokens
        if let maxTokens, maxTokens < 1 {
            let name = p.maxCompletionTokens != nil ? "max_completion_tokens" : "max_tokens"
            throw .invalidRequest("'\(name)' must be at least 1, got \(maxTokens)", param: name)
        }
        let sampling = try Self.sampling(p, vocabularySize: vocabularySize)
        let stops = p.stop?.values ?? []
        guard stops.count <= Self.maxStopSequences else {
            throw .invalidRequest("'stop' may hold at most \(Self.maxStopSequences) strings", param: "stop")
        }
        guard !stops.contains("") else { throw .invalidRequest("'stop' strings must not be empty", param: "stop") }
        let minTokens = p.minTokens ?? 0
        guard minTokens >= 0 else { throw .invalidRequest("'min_tokens' must be 0 or more", param: "min_tokens") }
        if let topLogprobs, !(0 ... Self.maxTopLogprobs).contains(topLogprobs) {
            throw .invalidRequest("'logprobs' must be between 0 and \(Self.maxTopLogprobs), got \(topLogprobs)", param: "logprobs")
        }
        guard !prompts.isEmpty else { throw .invalidRequest("The prompt is empty", param: "prompt") }

        var requests: [GenerationRequest] = []
        requests.reserveCapacity(prompts.count * n)
        for prompt in prompts {
            guard !prompt.isEmpty else { throw .invalidRequest("The prompt is empty", param: "prompt") }
            let limit = maxTokens ?? defaultMaxTokens(prompt.count)
            for choice in 0 ..< n {
                var choiceSampling = sampling
                // Distinct, reproducible streams per choice: seed, seed + 1, …
                choiceSampling.seed = sampling.seed.map { $0 &+ UInt64(choice) }
                requests.append(GenerationRequest(
                    prompt: prompt, maxTokens: max(limit, 1), minTokens: minTokens, sampling: choiceSampling,
                    stopSequences: stops, ignoreEndOfGeneration: p.ignoreEos ?? false, topLogprobs: topLogprobs,
                    priority: p.priority ?? 0))
            }
        }
        self.requests = requests
        self.n = n
        stream = p.stream ?? false
        includeUsage = p.streamOptions?.includeUsage ?? false
        reportsLogprobs = topLogprobs != nil
    }

    private static func sampling(_ p: GenerationParameters, vocabularySize: Int) throws(APIError) -> SamplingParameters {
        func check(_ value: Double?, _ name: String, _ range: ClosedRange<Double>, default fallback: Double) throws(APIError) -> Float {
            guard let value else { return Float(fallback) }
            guard value.isFinite, range.contains(value) else {
                throw .invalidRequest("'\(name)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)", param: name)
            }
            return Float(value)
        }
        let temperature = try check(p.temperature, "temperature", 0 ... 2, default: 1)
        let topP = try check(p.topP, "top_p", 0 ... 1, default: 1)
        guard topP > 0 else { throw .invalidRequest("'top_p' must be greater than 0", param: "top_p") }
        let minP = try check(p.minP, "min_p", 0 ... 1, default: 0)
        let presence = try check(p.presencePenalty, "presence_penalty", -2 ... 2, default: 0)
        let frequency = try check(p.frequencyPenalty, "frequency_penalty", -2 ... 2, default: 0)
        let repetition = try check(p.repetitionPenalty, "repetition_penalty", 0.01 ... 10, default: 1)
        let topK = p.topK ?? 0
        guard topK >= -1 else { throw .invalidRequest("'top_k' must be -1 (off), 0 (off) or more, got \(topK)", param: "top_k") }
        var bias: [Int32: Float] = [:]
        for (key, value) in p.logitBias ?? [:] {
            guard let id = Int32(key), id >= 0, Int(id) < vocabularySize else {
                throw .invalidRequest("'logit_bias' key '\(key)' is not a token id below \(vocabularySize)", param: "logit_bias")
            }
            guard value.isFinite, (-100 ... 100).contains(value) else {
                throw .invalidRequest("'logit_bias' values must be between -100 and 100", param: "logit_bias")
            }
            bias[id] = Float(value)
        }
        return SamplingParameters(
            temperature: temperature, topK: max(topK, 0), topP: topP, minP: minP,
            seed: p.seed.map { UInt64(bitPattern: $0) }, presencePenalty: presence, frequencyPenalty: frequency,
            repetitionPenalty: repetition, logitBias: bias)
    }
}
