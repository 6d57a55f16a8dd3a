import StrataTokenizer

/// Turns one request's chosen tokens into released text and decides when it stops: ending
/// tokens, stop strings (held back until decided), and the incremental UTF-8-safe decoder.
/// Lives on the coordinator, next to the request's stream.
struct OutputProcessor {
    private var decoder: StreamingDecoder
    private var matcher: StopSequenceMatcher
    private let endOfGeneration: Set<Int32>
    private let stopTokenIDs: Set<Int32>
    private let minTokens: Int
    private(set) var generatedCount = 0
    /// What stopped the request, once something did.
    private(set) var stopCause: GenerationSummary.StopCause?

    init(request: GenerationRequest, tokenizer: any Tokenizer, endOfGeneration: Set<Int32>) {
        decoder = StreamingDecoder(tokenizer: tokenizer)
        matcher = StopSequenceMatcher(stops: request.stopSequences)
        self.endOfGeneration = request.ignoreEndOfGeneration ? [] : endOfGeneration
        stopTokenIDs = request.stopTokenIDs
        minTokens = request.minTokens
    }

    private var reachedMinTokens: Bool { generatedCount >= minTokens }

    /// Records `token` and returns the text it releases; sets `stopCause` when it ends the request.
    mutating func accept(_ token: Int32) -> String {
        generatedCount += 1
        if reachedMinTokens, endOfGeneration.contains(token) || stopTokenIDs.contains(token) {
            stopCause = endOfGeneration.contains(token) ? .endOfGeneration(token) : .stopToken(token)
            return matcher.flush() + decoder.finish()
        }
        let result = matcher.append(decoder.append(token), matching: reachedMinTokens)
        if let stop = result.matched { stopCause = .stopSequence(stop) }
        return result.text
    }

    /// The text still held back when the request ends without a stop (`max_tokens`).
    mutating func flush() -> String {
        let tail = matcher.append(decoder.finish(), matching: reachedMinTokens)
        if let stop = tail.matched {
            stopCause = .stopSequence(stop)
            return tail.text
        }
        return tail.text + matcher.flush()
    }
}
