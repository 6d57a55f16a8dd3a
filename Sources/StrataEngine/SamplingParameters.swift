/// How the next token is chosen from the logits.
///
/// Steps run in this order: logit bias → repetition, frequency and presence penalties →
/// temperature → top-k → top-p → min-p → draw. A temperature of 0 means greedy (argmax, lowest
/// id on ties) after the bias and penalties; the truncation steps are then skipped.
public struct SamplingParameters: Sendable, Equatable {
    /// Softmax temperature; 0 is greedy.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches `topP`; 1 keeps all.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; 0 keeps all.
    public var minP: Float
    /// Seed of the random draw; nil draws a seed from the system.
    public var seed: UInt64?
    /// Subtracted once from the logit of every token already generated (OpenAI's definition).
    public var presencePenalty: Float
    /// Subtracted from a token's logit once per time it was already generated.
    public var frequencyPenalty: Float
    /// Divides positive and multiplies negative logits of every token in the prompt or the
    /// output so far (the CTRL / Hugging Face definition); 1 is off.
    public var repetitionPenalty: Float
    /// Added to the logits of these tokens before anything else (OpenAI's `logit_bias`).
    public var logitBias: [Int32: Float]

    /// Parameters with OpenAI's defaults (temperature 1, no truncation, no penalties).
    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, minP: Float = 0, seed: UInt64? = nil,
        presencePenalty: Float = 0, frequencyPenalty: Float = 0, repetitionPenalty: Float = 1,
        logitBias: [Int32: Float] = [:]
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.repetitionPenalty = repetitionPenalty
        self.logitBias = logitBias
    }

    /// Greedy decoding.
    public static let greedy = SamplingParameters(temperature: 0)

    /// Whether any step changes logits before temperature (bias or a penalty).
    public var adjustsLogits: Bool {
        !logitBias.isEmpty || presencePenalty != 0 || frequencyPenalty != 0 || repetitionPenalty != 1
    }
}
