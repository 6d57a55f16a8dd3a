import StrataTokenizer

/// The engine's side of one request: how its next token is chosen and how its tokens become
/// released text. Lives on the engine loop's thread.
struct RequestState {
    let request: GenerationRequest
    let continuation: AsyncStream<GenerationEvent>.Continuation
    private var sampler: Sampler
    private var adjustment: LogitAdjustment
    private var decoder: StreamingDecoder
    private var matcher: StopSequenceMatcher
    private let endTokens: Set<Int32>         // tokens that stop: end-of-generation ones and stop ids
    private let endOfGeneration: Set<Int32>
    private(set) var generatedCount = 0
    private(set) var stopCause: GenerationSummary.StopCause?
    /// Prompt tokens found in the prefix cache at first admission; nil until admitted.
    var cachedPromptTokens: Int?

    init(request: GenerationRequest, tokenizer: any Tokenizer, endOfGeneration: Set<Int32>,
         continuation: AsyncStream<GenerationEvent>.Continuation) {
        self.request = request
        self.continuation = continuation
        sampler = Sampler(parameters: request.sampling)
        adjustment = LogitAdjustment(parameters: request.sampling, prompt: request.prompt)
        decoder = StreamingDecoder(tokenizer: tokenizer)
        matcher = StopSequenceMatcher(stops: request.stopSequences)
        self.endOfGeneration = request.ignoreEndOfGeneration ? [] : endOfGeneration
        endTokens = self.endOfGeneration.union(request.stopTokenIDs)
    }

    private var reachedMinTokens: Bool { generatedCount >= request.minTokens }

    /// Chooses the next token from this request's row of raw logits (modified in place) and
    /// returns it with its logprob entry when logprobs were asked for. Logprobs describe the
    /// model's own distribution, before bias, penalties and suppression.
    mutating func choose(from logits: UnsafeMutablePointer<Float>, count: Int) -> (Int32, TokenLogprob?) {
        let softmax = request.topLogprobs.map { _ in LogSoftmax(logits, count: count) }
        let top = softmax?.top(request.topLogprobs ?? 0, of: logits, count: count) ?? []
        let suppressed = reachedMinTokens ? [] : endTokens
        var originals: [Int32: Float] = [:]
        if request.sampling.adjustsLogits || !suppressed.isEmpty {
            originals = adjustment.apply(
                to: logits, count: count, suppressing: suppressed, keepingOriginals: softmax != nil)
        }
        let token = sampler.sample(logits, count: count)
        guard let softmax else { return (token, nil) }
        let raw = originals[token] ?? logits[Int(token)]
        return (token, TokenLogprob(token: token, logprob: softmax.logprob(raw), top: top))
    }

    /// Records `token` and returns the text it releases; sets `stopCause` when it ends the request.
    mutating func accept(_ token: Int32) -> String {
        generatedCount += 1
        adjustment.record(token)
        if endTokens.contains(token), reachedMinTokens {
            stopCause = endOfGeneration.contains(token) ? .endOfGeneration(token) : .stopToken(token)
            return matcher.flush() + decoder.finish()
        }
        let result = matcher.append(decoder.append(token), matching: generatedCount >= request.minTokens)
        if let stop = result.matched { stopCause = .stopSequence(stop) }
        return result.text
    }

    /// The text still held back when the request ends without a stop.
    mutating func flush() -> String {
        let tail = matcher.append(decoder.finish(), matching: reachedMinTokens)
        if let stop = tail.matched {
            stopCause = .stopSequence(stop)
            return tail.text
        }
        return tail.text + matcher.flush()
    }
}
