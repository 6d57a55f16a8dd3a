import StrataEngine

/// `--dataset random`: prompts of about `inputLength` tokens cut from real text at random
/// places, each asking for `outputLength` tokens; with a range ratio r, each length is drawn
/// uniformly from [len·(1−r), len·(1+r)], as vLLM's random dataset does.
public struct RandomDataset: Sendable {
    /// Target prompt length in tokens.
    public var inputLength: Int
    /// `max_tokens` of each request.
    public var outputLength: Int
    /// Relative spread of both lengths, in [0, 1).
    public var rangeRatio: Double

    /// A random dataset; throws when a length is below 1 or the ratio is outside [0, 1).
    public init(inputLength: Int, outputLength: Int, rangeRatio: Double = 0) throws(BenchError) {
        guard inputLength >= 1, outputLength >= 1 else {
            throw .invalidOption("--input-len and --output-len must be at least 1")
        }
        guard rangeRatio >= 0, rangeRatio < 1 else { throw .invalidOption("--range-ratio must be in [0, 1)") }
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.rangeRatio = rangeRatio
    }

    /// `count` requests drawn from `corpus`.
    public func requests(count: Int, corpus: CorpusText, using random: inout RandomSource) -> [BenchRequest] {
        (0 ..< count).map { id in
            let input = draw(around: inputLength, using: &random)
            let output = draw(around: outputLength, using: &random)
            let start = Int(random.next() % UInt64(corpus.words.count))
            let prompt = corpus.passage(from: start, words: TokenEstimate.words(forTokens: input))
            return BenchRequest(id: id, prompt: prompt, maxTokens: output, estimatedInputTokens: input)
        }
    }

    private func draw(around length: Int, using random: inout RandomSource) -> Int {
        let low = max(1, Int((Double(length) * (1 - rangeRatio)).rounded(.down)))
        let high = max(low, Int((Double(length) * (1 + rangeRatio)).rounded(.down)))
        return low == high ? low : Int.random(in: low ... high, using: &random)
    }
}
