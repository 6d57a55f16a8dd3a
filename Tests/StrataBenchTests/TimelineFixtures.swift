@testable import StrataBench

/// Recorded timelines with hand-computed metrics (times in seconds from the run's start).
enum TimelineFixtures {
    /// A: 3 text chunks and an empty one, usage 10 → 3. TTFT 100 ms, ITL 100 and 200 ms,
    /// TPOT (0.5 − 0.1) / 2 = 200 ms, E2EL 500 ms.
    static var withEmptyChunk: RequestRecord {
        var record = RequestRecord(id: 0, scheduledAt: 0, startedAt: 0, estimatedInputTokens: 99)
        record.chunks = [.init(time: 0.1, tokens: 1), .init(time: 0.15, tokens: 0), .init(time: 0.2, tokens: 1), .init(time: 0.4, tokens: 1)]
        record.usage = Usage(promptTokens: 10, completionTokens: 3)
        record.endedAt = 0.5
        return record
    }

    /// B: no usage, 2 text chunks (counted), input estimated 8. TTFT 300 ms, ITL 100 ms,
    /// TPOT (0.6 − 0.3) / 1 = 300 ms, E2EL 600 ms.
    static var withoutUsage: RequestRecord {
        var record = RequestRecord(id: 1, scheduledAt: 1.0, startedAt: 1.0, estimatedInputTokens: 8)
        record.chunks = [.init(time: 1.3, tokens: 1), .init(time: 1.4, tokens: 1)]
        record.endedAt = 1.6
        return record
    }

    /// C: two tokens, then the stream broke at 0.9.
    static var failedHalfWay: RequestRecord {
        var record = RequestRecord(id: 2, scheduledAt: 0.5, startedAt: 0.5, estimatedInputTokens: 5)
        record.chunks = [.init(time: 0.6, tokens: 1), .init(time: 0.7, tokens: 1)]
        record.failure = RequestFailure(kind: .incompleteStream, message: "cut")
        record.endedAt = 0.9
        return record
    }

    /// D: refused with 401 after 50 ms.
    static var unauthorized: RequestRecord {
        var record = RequestRecord(id: 3, scheduledAt: 0.2, startedAt: 0.2, estimatedInputTokens: 5)
        record.failure = RequestFailure(kind: .unauthorized, message: "401 Unauthorized")
        record.endedAt = 0.25
        return record
    }

    static var all: [RequestRecord] { [withEmptyChunk, withoutUsage, failedHalfWay, unauthorized] }
}
