/// When to try a lost worker again: exponential from `initial`, capped at `maximum`. A plain
/// value; the caller passes `now`.
struct Backoff: Sendable {
    var initial: Duration = .milliseconds(100)
    var maximum: Duration = .seconds(2)
    private(set) var failures = 0
    private(set) var notBefore: ContinuousClock.Instant?

    /// Whether an attempt may be made at `now`.
    func mayAttempt(at now: ContinuousClock.Instant) -> Bool {
        notBefore.map { now >= $0 } ?? true
    }

    /// Records a failed attempt at `now`.
    mutating func failed(at now: ContinuousClock.Instant) {
        failures += 1
        var delay = initial
        for _ in 1 ..< min(failures, 16) { delay *= 2 }
        notBefore = now + min(delay, maximum)
    }

    /// Records a success.
    mutating func succeeded() {
        failures = 0
        notBefore = nil
    }
}
