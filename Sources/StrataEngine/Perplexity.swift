#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import StrataModels

/// Perplexity of a model on a text, by llama.cpp's `llama-perplexity` protocol.
///
/// The tokens (BOS first when the model takes one) are split into ⌊n / context⌋ windows of
/// `context` tokens. Each window starts with BOS in place of its first token (when there is a BOS)
/// and is evaluated on a fresh cache; only its second
/// half is scored: for positions j = context/2 … context−2, −log p(token[j+1] | token[0…j]).
/// PPL = exp(mean NLL); its error is the standard error of the mean NLL propagated through exp.
public struct PerplexityEvaluator {
    /// Rows of logits computed at once, bounding memory to rows × vocabulary floats.
    public static let logitRowsPerPass = 32

    private let model: any LanguageModel
    private let context: Int
    private let threads: Int

    /// An evaluator with windows of `context` tokens.
    public init(model: any LanguageModel, context: Int, threads: Int) {
        self.model = model
        self.context = context
        self.threads = threads
    }

    /// The outcome of an evaluation.
    public struct Result: Sendable {
        /// exp(mean NLL).
        public let perplexity: Double
        /// Standard error of the perplexity.
        public let standardError: Double
        /// Number of windows evaluated.
        public let windows: Int
        /// Number of scored tokens.
        public let scoredTokens: Int
        /// Perplexity over the windows so far, after each window.
        public let runningPerplexity: [Double]
    }

    /// Evaluates `tokens` (already starting with BOS when `bos` is given), calling `progress`
    /// after each window. With `bos` nil (models whose prompts take no BOS, such as Qwen2) windows
    /// keep their first token, as `llama-perplexity` does.
    public func evaluate(
        tokens: [Int32], bos: Int32?, progress: (Int, Int, Double) -> Void = { _, _, _ in }
    ) throws(GenerationError) -> Result {
        guard context >= 4, tokens.count >= context else { throw .textTooShort(tokens: tokens.count, needed: max(context, 4)) }
        let vocabulary = model.shape.vocabularySize
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw .invalidToken(bad, vocabularySize: vocabulary)
        }
        let windows = tokens.count / context
        let state = model.makeForwardState(maxTokens: context, maxContext: context, threads: threads)
        let blockSize = Generator.blockSize
        let blockCount = (context + blockSize - 1) / blockSize
        let cache = model.makeKVCache(blockCount: blockCount, blockSize: blockSize)
        let blockTable = (0 ..< blockCount).map { Int32($0) }
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: Self.logitRowsPerPass * vocabulary)
        defer { logits.deallocate() }

        var sum: Double = 0, sumOfSquares: Double = 0, count = 0
        var running: [Double] = []
        for window in 0 ..< windows {
            var chunk = Array(tokens[window * context ..< (window + 1) * context])
            if let bos { chunk[0] = bos }
            model.forward(.singleSequence(tokens: chunk, startPosition: 0, blockTable: blockTable), state: state, cache: cache)
            var row = context / 2
            while row < context - 1 {
                let rows = Array(row ..< min(context - 1, row + Self.logitRowsPerPass))
                model.logits(rows: rows, state: state, into: logits)
                for (index, position) in rows.enumerated() {
                    let rowLogits = logits + index * vocabulary
                    let softmax = LogSoftmax(rowLogits, count: vocabulary)
                    let nll = -Double(softmax.logprob(rowLogits[Int(chunk[position + 1])]))
                    sum += nll
                    sumOfSquares += nll * nll
                    count += 1
                }
                row += rows.count
            }
            running.append(exp(sum / Double(count)))
            progress(window + 1, windows, running[running.count - 1])
        }
        let mean = sum / Double(count)
        let variance = sumOfSquares / Double(count) - mean * mean
        let perplexity = exp(mean)
        let error = variance > 0 && count > 1 ? (variance / Double(count - 1)).squareRoot() * perplexity : 0
        return Result(perplexity: perplexity, standardError: error, windows: windows, scoredTokens: count, runningPerplexity: running)
    }
}
