import StrataModels

/// Runs one sequence at a time through a model: prefill of the prompt in chunks, then
/// token-by-token decoding with a sampler.
public final class Generator {
    /// The model being run.
    public let model: any LanguageModel
    /// Most positions (prompt plus generated) a sequence may have.
    public let contextLength: Int
    private let state: ForwardState
    private let cache: KVCache
    private let blockTable: [Int32]
    private let logits: UnsafeMutablePointer<Float>

    /// Tokens per KV cache block.
    public static let blockSize = 16

    /// A generator for sequences of up to `contextLength` positions, prefilling up to
    /// `prefillChunk` tokens per forward pass, on `threads` threads.
    public init(model: any LanguageModel, contextLength: Int, threads: Int, prefillChunk: Int = 512) {
        self.model = model
        self.contextLength = contextLength
        let blocks = (contextLength + Self.blockSize - 1) / Self.blockSize
        state = model.makeForwardState(maxTokens: max(1, min(prefillChunk, contextLength)), maxContext: contextLength, threads: threads)
        cache = model.makeKVCache(blockCount: blocks, blockSize: Self.blockSize)
        blockTable = (0 ..< blocks).map { Int32($0) }
        logits = .allocate(capacity: model.shape.vocabularySize)
    }

    deinit { logits.deallocate() }

    /// What a generation produced.
    public struct Result: Sendable {
        /// Generated token ids (not including the prompt).
        public var tokens: [Int32] = []
        /// Per generated token, its logprob and the top alternatives.
        public var steps: [TokenLogprob] = []
        /// Why generation stopped.
        public var finishReason: FinishReason = .length
        /// Prompt tokens processed.
        public var promptTokens = 0
        /// Time spent on the prompt, in seconds.
        public var promptSeconds: Double = 0
        /// Time spent generating after the prompt, in seconds.
        public var generateSeconds: Double = 0
    }

    /// Why a sequence ended.
    public enum FinishReason: String, Sendable {
        /// An end-of-generation token was produced.
        case stop
        /// `maxTokens` were generated.
        case length
        /// The caller asked to stop.
        case cancelled
    }

    /// Generates up to `maxTokens` tokens after `prompt`.
    ///
    /// - Parameters:
    ///   - isEndOfGeneration: tokens that end generation (they are included in the result).
    ///   - topLogprobs: number of alternatives recorded per step.
    ///   - onToken: called after each generated token; return false to stop.
    public func generate(
        prompt: [Int32], maxTokens: Int, sampling: SamplingParameters, topLogprobs: Int = 0,
        isEndOfGeneration: (Int32) -> Bool = { _ in false },
        onToken: (TokenLogprob) -> Bool = { _ in true }
    ) throws(GenerationError) -> Result {
        try validate(prompt: prompt, maxTokens: maxTokens)
        var result = Result()
        result.promptTokens = prompt.count
        var sampler = SequenceSampler(.init(
            parameters: sampling, prompt: prompt, minTokens: 0, endTokens: [], topLogprobs: topLogprobs))
        let vocabulary = model.shape.vocabularySize
        let clock = ContinuousClock()

        let promptStart = clock.now
        var position = 0
        while position < prompt.count {
            let chunk = Array(prompt[position ..< min(prompt.count, position + state.maxTokens)])
            model.forward(.singleSequence(tokens: chunk, startPosition: position, blockTable: blockTable), state: state, cache: cache)
            position += chunk.count
            if position == prompt.count { model.logits(rows: [chunk.count - 1], state: state, into: logits) }
        }
        result.promptSeconds = (clock.now - promptStart).inSeconds

        let generateStart = clock.now
        while result.tokens.count < maxTokens {
            let choice = sampler.choose(from: logits, count: vocabulary)
            let token = choice.token
            // Always present: the sampler was asked for `topLogprobs` alternatives.
            let step = choice.logprob ?? TokenLogprob(token: token, logprob: .nan, top: [])
            result.tokens.append(token)
            result.steps.append(step)
            if !onToken(step) {
                result.finishReason = .cancelled
                break
            }
            if isEndOfGeneration(token) {
                result.finishReason = .stop
                break
            }
            if result.tokens.count == maxTokens { break }
            model.forward(.singleSequence(tokens: [token], startPosition: position, blockTable: blockTable), state: state, cache: cache)
            model.logits(rows: [0], state: state, into: logits)
            position += 1
        }
        result.generateSeconds = (clock.now - generateStart).inSeconds
        return result
    }

    private func validate(prompt: [Int32], maxTokens: Int) throws(GenerationError) {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        let vocabulary = model.shape.vocabularySize
        if let bad = prompt.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw .invalidToken(bad, vocabularySize: vocabulary)
        }
        guard prompt.count + maxTokens <= contextLength else {
            throw .contextOverflow(promptTokens: prompt.count, maxNewTokens: maxTokens, contextLength: contextLength)
        }
    }
}
