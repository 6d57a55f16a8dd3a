/// What kind of failure a request met; counted separately in the report.
public enum FailureKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// The connection could not be made or broke (refused, unreachable, reset).
    case connection
    /// No response, or no next byte, within the timeout.
    case timeout
    /// HTTP 401 or 403.
    case unauthorized
    /// HTTP 429.
    case rateLimited = "rate_limited"
    /// Any other HTTP 4xx.
    case clientError = "client_error"
    /// HTTP 5xx.
    case serverError = "server_error"
    /// The body is not the expected SSE or JSON.
    case malformedStream = "malformed_stream"
    /// The stream ended before `[DONE]` or a finish reason.
    case incompleteStream = "incomplete_stream"
    /// The server sent an error object inside the stream.
    case streamError = "stream_error"
    /// Still in flight when the grace period after an interrupt (SIGINT/SIGTERM) ended; cancelled.
    case interrupted

    public static func < (lhs: FailureKind, rhs: FailureKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The kind for a non-2xx HTTP status.
    public static func forStatus(_ status: Int) -> FailureKind {
        switch status {
        case 401, 403: return .unauthorized
        case 429: return .rateLimited
        case 500...: return .serverError
        default: return .clientError
        }
    }
}

/// Why one request failed.
public struct RequestFailure: Sendable, Equatable, Codable {
    /// The kind, for counting.
    public var kind: FailureKind
    /// The error text (the server's message when it sent one).
    public var message: String

    /// A failure.
    public init(kind: FailureKind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// The arrival of one streamed chunk.
public struct ChunkArrival: Sendable, Equatable, Codable {
    /// Seconds from the start of the run.
    public var time: Double
    /// Tokens the chunk carries: 1 for a chunk with text, 0 for an empty one (role-only, usage-only).
    public var tokens: Int

    /// A chunk arrival.
    public init(time: Double, tokens: Int) {
        self.time = time
        self.tokens = tokens
    }
}

/// The recorded timeline of one request: the raw events, from which every metric is derived.
/// Times are seconds from the start of the run.
public struct RequestRecord: Sendable, Equatable, Codable {
    /// The request's position in the workload.
    public var id: Int
    /// When the arrival process scheduled it.
    public var scheduledAt: Double
    /// When it was actually sent.
    public var startedAt: Double
    /// Whether it waited for a free slot under `--max-concurrency` (so lateness is intended).
    public var waitedForSlot: Bool
    /// Each chunk's arrival, in order (one for a non-streamed response).
    public var chunks: [ChunkArrival]
    /// When the response ended (last byte, or the failure).
    public var endedAt: Double?
    /// The server's `usage`, if it sent one.
    public var usage: Usage?
    /// The dataset's estimate of the prompt length in tokens.
    public var estimatedInputTokens: Int
    /// The generated text.
    public var generatedText: String
    /// Each generated token with its log probability, when the run asked for them (`ab`).
    public var tokenLogprobs: [TokenLogprob]
    /// The failure, or `nil` for a success.
    public var failure: RequestFailure?

    /// A record of a request sent at `startedAt`, with no events yet.
    public init(id: Int, scheduledAt: Double, startedAt: Double, waitedForSlot: Bool = false, estimatedInputTokens: Int) {
        self.id = id
        self.scheduledAt = scheduledAt
        self.startedAt = startedAt
        self.waitedForSlot = waitedForSlot
        self.chunks = []
        self.endedAt = nil
        self.usage = nil
        self.estimatedInputTokens = estimatedInputTokens
        self.generatedText = ""
        self.tokenLogprobs = []
        self.failure = nil
    }
}
