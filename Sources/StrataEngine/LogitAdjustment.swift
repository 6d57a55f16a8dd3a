/// The steps before temperature that depend on a sequence's history: logit bias, the
/// repetition, frequency and presence penalties, and suppression of tokens that may not be
/// chosen yet (end-of-generation tokens before `min_tokens`).
///
/// Definitions follow vLLM: the repetition penalty applies to tokens seen in the prompt or the
/// output, the frequency and presence penalties to tokens of the output only.
public struct LogitAdjustment: Sendable {
    /// The parameters whose bias and penalties are applied.
    public let parameters: SamplingParameters
    private var promptTokens: Set<Int32> = []
    private var outputCounts: [Int32: Int] = [:]

    /// An adjustment for a sequence whose prompt is `prompt`.
    public init(parameters: SamplingParameters, prompt: [Int32]) {
        self.parameters = parameters
        if parameters.repetitionPenalty != 1 { promptTokens = Set(prompt) }
    }

    /// Records a generated token.
    public mutating func record(_ token: Int32) {
        if parameters.adjustsLogits { outputCounts[token, default: 0] += 1 }
    }

    /// Applies bias, penalties and suppression to `count` logits in place. With
    /// `keepingOriginals`, returns the value every changed logit had before.
    @discardableResult
    public func apply(
        to logits: UnsafeMutablePointer<Float>, count: Int, suppressing suppressed: Set<Int32> = [],
        keepingOriginals: Bool = false
    ) -> [Int32: Float] {
        var originals: [Int32: Float] = [:]
        if keepingOriginals {
            let touched = Set(parameters.logitBias.keys).union(promptTokens).union(outputCounts.keys).union(suppressed)
            for token in touched where Int(token) < count && token >= 0 { originals[token] = logits[Int(token)] }
        }
        for (token, bias) in parameters.logitBias where Int(token) < count && token >= 0 {
            logits[Int(token)] += bias
        }
        let repetition = parameters.repetitionPenalty
        if repetition != 1 {
            for token in promptTokens.union(outputCounts.keys) where Int(token) < count && token >= 0 {
                let logit = logits[Int(token)]
                logits[Int(token)] = logit > 0 ? logit / repetition : logit * repetition
            }
        }
        if parameters.frequencyPenalty != 0 || parameters.presencePenalty != 0 {
            for (token, occurrences) in outputCounts where Int(token) < count && token >= 0 {
                logits[Int(token)] -= parameters.frequencyPenalty * Float(occurrences) + parameters.presencePenalty
            }
        }
        for token in suppressed where Int(token) < count && token >= 0 {
            logits[Int(token)] = -.infinity
        }
        return originals
    }
}
