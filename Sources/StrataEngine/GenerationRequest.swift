/// One completion to run on the engine, in native types: the HTTP layer turns JSON (prompts,
/// chat messages, OpenAI parameters) into this.
public struct GenerationRequest: Sendable, Equatable {
    /// Prompt token ids (already tokenized, BOS included when the model wants it).
    public var prompt: [Int32]
    /// Most tokens to generate.
    public var maxTokens: Int
    /// End-of-generation tokens and `stopTokenIDs` are not chosen before this many tokens are
    /// generated, and stop strings are not looked for.
    public var minTokens: Int
    /// How tokens are chosen.
    public var sampling: SamplingParameters
    /// Generation stops when one of these strings appears in the output; the text returned
    /// ends just before it.
    public var stopSequences: [String]
    /// Extra token ids that end generation (their text is not returned).
    public var stopTokenIDs: Set<Int32>
    /// Keep generating past the model's end-of-generation tokens.
    public var ignoreEndOfGeneration: Bool
    /// Number of most likely alternatives to report with each token's logprob; nil reports none.
    public var topLogprobs: Int?
    /// Scheduling priority: lower runs first (vLLM's convention); ties go first come, first served.
    public var priority: Int

    /// A request; every parameter after `maxTokens` has the OpenAI default.
    public init(
        prompt: [Int32], maxTokens: Int, minTokens: Int = 0, sampling: SamplingParameters = .init(),
        stopSequences: [String] = [], stopTokenIDs: Set<Int32> = [], ignoreEndOfGeneration: Bool = false,
        topLogprobs: Int? = nil, priority: Int = 0
    ) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.minTokens = minTokens
        self.sampling = sampling
        self.stopSequences = stopSequences
        self.stopTokenIDs = stopTokenIDs
        self.ignoreEndOfGeneration = ignoreEndOfGeneration
        self.topLogprobs = topLogprobs
        self.priority = priority
    }
}
