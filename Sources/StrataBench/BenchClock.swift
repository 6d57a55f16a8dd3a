import StrataEngine

/// Seconds since the start of a run, from a monotonic clock.
public struct BenchClock: Sendable {
    /// The run's time zero.
    public let origin: ContinuousClock.Instant

    /// A clock whose zero is now.
    public init() { origin = ContinuousClock.now }

    /// Seconds elapsed since `origin`.
    public func now() -> Double { origin.duration(to: ContinuousClock.now).inSeconds }

    /// The instant `seconds` after `origin`.
    public func instant(at seconds: Double) -> ContinuousClock.Instant {
        origin.advanced(by: .nanoseconds(Int64((seconds * 1e9).rounded())))
    }
}
