/// Where a token count came from.
public enum TokenCountSource: String, Sendable, Codable {
    /// The server's `usage`.
    case usage
    /// Counted from the stream (output: chunks with text) or estimated by the dataset (input).
    case counted
}

/// One request's metrics, derived from its record with vLLM's definitions:
/// - TTFT: from sending the request to the first chunk that carries text;
/// - ITL: the gaps between consecutive chunks that carry text (empty chunks are skipped);
/// - TPOT: (E2EL − TTFT) / (output tokens − 1), for requests with more than one output token;
/// - E2EL: from sending the request to the end of the response.
/// Failed requests have no latencies and count no tokens.
public struct RequestMetrics: Sendable, Equatable {
    /// Whether the request succeeded.
    public var succeeded: Bool
    /// Prompt tokens (usage, else the dataset's estimate).
    public var inputTokens: Int
    /// Where `inputTokens` came from.
    public var inputSource: TokenCountSource
    /// Output tokens (usage, else chunks with text); 0 for a failure.
    public var outputTokens: Int
    /// Where `outputTokens` came from.
    public var outputSource: TokenCountSource
    /// Time to first token, seconds; `nil` for failures, non-streamed responses and empty outputs.
    public var ttft: Double?
    /// Time per output token after the first, seconds.
    public var tpot: Double?
    /// Inter-token latencies, seconds.
    public var itls: [Double]
    /// End-to-end latency, seconds.
    public var e2el: Double?

    /// Derives the metrics of `record`; `streamed` is false for `--no-stream` runs, whose single
    /// chunk gives no first-token time.
    public init(_ record: RequestRecord, streamed: Bool = true) {
        inputTokens = record.usage?.promptTokens ?? record.estimatedInputTokens
        inputSource = record.usage?.promptTokens == nil ? .counted : .usage
        outputSource = record.usage?.completionTokens == nil ? .counted : .usage
        guard record.failure == nil, let end = record.endedAt else {
            succeeded = false
            outputTokens = 0
            ttft = nil
            tpot = nil
            itls = []
            e2el = nil
            return
        }
        succeeded = true
        let textChunks = record.chunks.filter { $0.tokens > 0 }
        outputTokens = record.usage?.completionTokens ?? textChunks.reduce(0) { $0 + $1.tokens }
        e2el = end - record.startedAt
        guard streamed, let first = textChunks.first else {
            ttft = nil
            tpot = nil
            itls = []
            return
        }
        let firstTokenLatency = first.time - record.startedAt
        ttft = firstTokenLatency
        itls = zip(textChunks.dropFirst(), textChunks).map { $0.time - $1.time }
        tpot = outputTokens > 1 ? (end - record.startedAt - firstTokenLatency) / Double(outputTokens - 1) : nil
    }
}
