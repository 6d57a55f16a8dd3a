import NIOCore
import StrataEngine

/// The engine requests of one API request, submitted together, with their events merged into
/// one sequence tagged by choice index. Leaving `forEachEvent` early (a write failed because
/// the client went away, or the task was cancelled) cancels every unfinished request.
struct GenerationRun: Sendable {
    private let streams: [AsyncStream<GenerationEvent>]
    private let metrics: ServerMetrics
    private let clientGone: EventLoopFuture<Void>

    /// Submits `requests` to `engine`; if one is refused, the ones already queued are cancelled.
    /// `promptParam` names the prompt field in errors (`prompt` or `messages`). When
    /// `clientGone` completes (the connection or HTTP/2 stream closed), the requests are cancelled.
    init(
        requests: [GenerationRequest], engine: InferenceEngine, metrics: ServerMetrics,
        cancelledBy clientGone: EventLoopFuture<Void>, promptParam: String
    ) async throws(APIError) {
        var streams: [AsyncStream<GenerationEvent>] = []
        for request in requests {
            do {
                streams.append(try engine.submit(request))
            } catch {
                await Self.cancel(streams)
                throw APIError(error, promptParam: promptParam)
            }
        }
        self.streams = streams
        self.metrics = metrics
        self.clientGone = clientGone
    }

    /// Number of choices.
    var count: Int { streams.count }

    /// Calls `body` with each event, in arrival order, until every choice has finished or the
    /// client has gone (then the unfinished choices are cancelled and get no `.finished`).
    func forEachEvent(_ body: (Int, GenerationEvent) async throws -> Void) async throws {
        let (merged, continuation) = AsyncStream<(Int, GenerationEvent)>.makeStream()
        clientGone.whenComplete { _ in continuation.finish() }
        let start = ContinuousClock.now
        try await withThrowingDiscardingTaskGroup { group in
            for (index, stream) in streams.enumerated() {
                group.addTask {
                    for await event in stream { continuation.yield((index, event)) }
                }
            }
            var timers = [ChoiceTimer](repeating: ChoiceTimer(start: start), count: streams.count)
            var open = streams.count
            for await (index, event) in merged {
                timers[index].observe(event, now: .now, metrics: metrics)
                try await body(index, event)
                if case .finished = event {
                    open -= 1
                    if open == 0 { break }
                }
            }
            // Ends the iterations still running (the client went away or the task was cancelled).
            group.cancelAll()
        }
    }

    /// Cancels requests by ending an iteration of each of their streams.
    private static func cancel(_ streams: [AsyncStream<GenerationEvent>]) async {
        await withDiscardingTaskGroup { group in
            for stream in streams {
                group.addTask { for await _ in stream {} }
            }
            group.cancelAll()
        }
    }
}

/// Latency bookkeeping of one choice: time to first token, gaps between tokens, total.
private struct ChoiceTimer {
    let start: ContinuousClock.Instant
    var lastToken: ContinuousClock.Instant?

    init(start: ContinuousClock.Instant) { self.start = start }

    mutating func observe(_ event: GenerationEvent, now: ContinuousClock.Instant, metrics: ServerMetrics) {
        switch event {
        case let .output(output) where !output.tokens.isEmpty:
            if let lastToken {
                let gap = (now - lastToken) / output.tokens.count
                for _ in output.tokens { metrics.recordInterTokenLatency(gap) }
            } else {
                metrics.recordTimeToFirstToken(now - start)
            }
            lastToken = now
        case .output:
            break
        case let .finished(summary):
            metrics.recordFinished(summary, after: now - start)
        }
    }
}
