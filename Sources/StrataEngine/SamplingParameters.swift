/// How the next token is chosen from the logits.
///
/// Steps run in this order: logit bias → temperature → top-k → top-p → min-p → draw.
/// A temperature of 0 means greedy (argmax, lowest id on ties), and the other steps are skipped.
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

    /// Parameters with OpenAI's defaults (temperature 1, no truncation).
    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1, minP: Float = 0, seed: UInt64? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.seed = seed
    }

    /// Greedy decoding.
    public static let greedy = SamplingParameters(temperature: 0)
}
