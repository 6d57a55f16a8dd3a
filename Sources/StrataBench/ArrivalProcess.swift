import StrataEngine

/// When each request of an open-loop run is sent, as offsets in seconds from the start.
///
/// As in vLLM's `bench serve`: with a finite rate λ, inter-arrival times are drawn from a gamma
/// distribution with shape `burstiness` and scale `1 / (λ · burstiness)`, so their mean is always
/// 1/λ; burstiness 1 is a Poisson process, below 1 burstier, above 1 more regular. With an
/// infinite rate every request is due at once (subject to the concurrency cap).
public struct ArrivalProcess: Sendable, Equatable {
    /// Requests per second; `nil` means infinite (all due at time 0).
    public var rate: Double?
    /// Gamma shape factor of the inter-arrival times.
    public var burstiness: Double

    /// An arrival process; throws when `rate` or `burstiness` is not a positive finite number.
    public init(rate: Double?, burstiness: Double = 1) throws(BenchError) {
        if let rate, !(rate > 0 && rate.isFinite) {
            throw .invalidOption("--request-rate must be a positive number or inf, not \(rate)")
        }
        guard burstiness > 0, burstiness.isFinite else {
            throw .invalidOption("--burstiness must be a positive number, not \(burstiness)")
        }
        self.rate = rate
        self.burstiness = burstiness
    }

    /// Parses `--request-rate`: a positive number or `inf`.
    public static func parseRate(_ text: String) throws(BenchError) -> Double? {
        if text.lowercased() == "inf" { return nil }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw .invalidOption("--request-rate must be a positive number or inf, not '\(text)'")
        }
        return value
    }

    /// Offsets in seconds of `count` arrivals: the first is at 0, each next one an
    /// inter-arrival draw later. Deterministic for a given generator state.
    public func offsets(count: Int, using random: inout RandomSource) -> [Double] {
        guard count > 0 else { return [] }
        var offsets = [Double](repeating: 0, count: count)
        for index in 1 ..< count {
            offsets[index] = offsets[index - 1] + interval(using: &random)
        }
        return offsets
    }

    /// One inter-arrival time in seconds (0 for an infinite rate).
    public func interval(using random: inout RandomSource) -> Double {
        guard let rate else { return 0 }
        return random.gamma(shape: burstiness, scale: 1 / (rate * burstiness))
    }
}
