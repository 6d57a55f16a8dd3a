import Synchronization

/// What a worker has done since it started, as `GET /v1/status` reports it (JSON, snake_case
/// keys): steps run and failed, token rows computed, bytes of step frames in and out, and the
/// compute time of recent steps.
public struct WorkerStatistics: Sendable, Codable, Equatable {
    /// Steps answered with a result.
    public var steps = 0
    /// Steps refused (a malformed frame or a step the stage could not run).
    public var failedSteps = 0
    /// Token rows of the answered steps.
    public var rows = 0
    /// Bytes of step frames received and of answers sent (HTTP/2 framing not counted).
    public var bytesReceived = 0
    public var bytesSent = 0
    /// Median and 99th percentile of the compute time (decode, forward pass, encode) of the
    /// last `WorkerStatisticsRecorder.window` steps, in milliseconds; 0 before the first step.
    public var computeMedianMilliseconds = 0.0
    public var computeP99Milliseconds = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case steps
        case failedSteps = "failed_steps"
        case rows
        case bytesReceived = "bytes_received"
        case bytesSent = "bytes_sent"
        case computeMedianMilliseconds = "compute_median_ms"
        case computeP99Milliseconds = "compute_p99_ms"
    }
}

/// Collects a worker's `WorkerStatistics` from the steps it runs; safe to use from any thread.
final class WorkerStatisticsRecorder: Sendable {
    /// How many recent steps the compute-time percentiles cover.
    static let window = 4096

    private struct State {
        var totals = WorkerStatistics()
        var recent: [UInt64] = []
        var next = 0
    }

    private let state = Mutex(State())

    /// Counts an answered step of `rows` rows.
    func recordStep(rows: Int, bytesReceived: Int, bytesSent: Int, computeNanoseconds: UInt64) {
        state.withLock { state in
            state.totals.steps += 1
            state.totals.rows += rows
            state.totals.bytesReceived += bytesReceived
            state.totals.bytesSent += bytesSent
            if state.recent.count < Self.window {
                state.recent.append(computeNanoseconds)
            } else {
                state.recent[state.next] = computeNanoseconds
                state.next = (state.next + 1) % Self.window
            }
        }
    }

    /// Counts a refused step.
    func recordFailure(bytesReceived: Int) {
        state.withLock { state in
            state.totals.failedSteps += 1
            state.totals.bytesReceived += bytesReceived
        }
    }

    /// The figures so far.
    var snapshot: WorkerStatistics {
        let (totals, recent) = state.withLock { ($0.totals, $0.recent) }
        var statistics = totals
        let sorted = recent.sorted()
        if !sorted.isEmpty {
            func milliseconds(atRank rank: Double) -> Double {
                Double(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * rank + 0.5))]) / 1e6
            }
            statistics.computeMedianMilliseconds = milliseconds(atRank: 0.5)
            statistics.computeP99Milliseconds = milliseconds(atRank: 0.99)
        }
        return statistics
    }
}
