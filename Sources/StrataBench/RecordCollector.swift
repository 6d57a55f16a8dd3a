import Synchronization

/// Collects records from concurrent requests, and the counts the progress line shows.
final class RecordCollector: Sendable {
    private struct State {
        var records: [RequestRecord] = []
        var outputTokens = 0
        var failed = 0
        var inFlight = 0
    }

    private let state = Mutex(State())

    /// A request was sent.
    func started() { state.withLock { $0.inFlight += 1 } }

    /// A request ended with `record`.
    func add(_ record: RequestRecord) {
        let metrics = RequestMetrics(record)
        state.withLock {
            $0.records.append(record)
            $0.inFlight -= 1
            $0.outputTokens += metrics.outputTokens
            if !metrics.succeeded { $0.failed += 1 }
        }
    }

    /// Counts so far: ended requests, failures, output tokens, requests in flight.
    func counts() -> (ended: Int, failed: Int, outputTokens: Int, inFlight: Int) {
        state.withLock { ($0.records.count, $0.failed, $0.outputTokens, $0.inFlight) }
    }

    /// All records, in id order.
    func records() -> [RequestRecord] { state.withLock { $0.records.sorted { $0.id < $1.id } } }
}
