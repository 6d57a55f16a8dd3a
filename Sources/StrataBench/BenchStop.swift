import Synchronization

/// A request to end a run early, made by the first SIGINT or SIGTERM: from then on the runner
/// sends no new request, and requests in flight get `grace` seconds to finish before they are
/// cancelled (and recorded as `interrupted`). The report is still written, marked interrupted.
public final class BenchStop: Sendable {
    private struct State {
        var reason: String?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())
    /// Seconds requests in flight may still take once the stop is requested.
    public let grace: Double

    /// A stop not yet requested, with `grace` seconds for requests in flight.
    public init(grace: Double = 30) {
        self.grace = max(0, grace)
    }

    /// Why the run was stopped (e.g. `"SIGINT"`), or `nil` while it was not.
    public var reason: String? { state.withLock { $0.reason } }

    /// Whether the stop was requested.
    public var isRequested: Bool { reason != nil }

    /// Requests the stop; later requests keep the first reason.
    public func request(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the stop is requested, or when the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.reason != nil || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if state.reason == nil { state.cancelled.insert(id) }
                return nil
            }
            waiter?.resume()
        }
    }

    /// Sleeps until `instant`, or less when the stop is requested (or the task cancelled) first.
    public func sleep(until instant: ContinuousClock.Instant) async {
        guard !isRequested else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(until: instant, clock: .continuous) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
