/// Latency targets for goodput (vLLM's `--goodput`): a request is good when it succeeded and
/// meets every target given. Targets are in milliseconds.
public struct ServiceLevelObjectives: Sendable, Equatable, Codable {
    /// Largest acceptable time to first token.
    public var ttftMs: Double?
    /// Largest acceptable time per output token.
    public var tpotMs: Double?
    /// Largest acceptable end-to-end latency.
    public var e2elMs: Double?

    /// No targets: goodput is not computed.
    public static let none = ServiceLevelObjectives(checked: nil, nil, nil)

    private init(checked ttftMs: Double?, _ tpotMs: Double?, _ e2elMs: Double?) {
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
        self.e2elMs = e2elMs
    }

    /// Targets; throws when one is not positive.
    public init(ttftMs: Double? = nil, tpotMs: Double? = nil, e2elMs: Double? = nil) throws(BenchError) {
        for value in [ttftMs, tpotMs, e2elMs].compactMap({ $0 }) where !(value > 0 && value.isFinite) {
            throw .invalidOption("SLO targets must be positive milliseconds, not \(value)")
        }
        self.init(checked: ttftMs, tpotMs, e2elMs)
    }

    /// Whether any target is set.
    public var isEmpty: Bool { ttftMs == nil && tpotMs == nil && e2elMs == nil }

    /// Whether `metrics` meets every target. A request without a first token fails a TTFT target;
    /// one with a single output token has no TPOT and passes a TPOT target (as in vLLM, where it is 0).
    public func isMet(by metrics: RequestMetrics) -> Bool {
        guard metrics.succeeded else { return false }
        if let ttftMs {
            guard let ttft = metrics.ttft, ttft * 1000 <= ttftMs else { return false }
        }
        if let tpotMs, let tpot = metrics.tpot, tpot * 1000 > tpotMs { return false }
        if let e2elMs {
            guard let e2el = metrics.e2el, e2el * 1000 <= e2elMs else { return false }
        }
        return true
    }
}
