import Histogram

/// Summary statistics of one latency metric, in milliseconds. Percentiles come from an
/// HdrHistogram of microsecond values (3 significant digits: within 0.1 %); mean and standard
/// deviation are exact.
public struct LatencySummary: Sendable, Equatable, Codable {
    /// How many values were recorded.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Population standard deviation (as numpy's `std`).
    public var std: Double
    /// 50th percentile.
    public var median: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Largest value.
    public var max: Double

    /// The empty summary (all zeros), as vLLM reports a metric with no values.
    public static let empty = LatencySummary(count: 0, mean: 0, std: 0, median: 0, p90: 0, p95: 0, p99: 0, max: 0)

    private init(count: Int, mean: Double, std: Double, median: Double, p90: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.mean = mean
        self.std = std
        self.median = median
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// Summarizes `seconds` (negative values, which a clock cannot produce, count as 0).
    public init(seconds values: [Double]) {
        guard !values.isEmpty else {
            self = .empty
            return
        }
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        var sum = 0.0
        for value in values {
            let clamped = Swift.max(0, value)
            sum += clamped
            _ = histogram.record(UInt64((clamped * 1_000_000).rounded()))
        }
        let mean = sum / Double(values.count)
        let variance = values.reduce(0) { $0 + (Swift.max(0, $1) - mean) * (Swift.max(0, $1) - mean) } / Double(values.count)
        func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        self.init(
            count: values.count, mean: mean * 1000, std: variance.squareRoot() * 1000,
            median: ms(50), p90: ms(90), p95: ms(95), p99: ms(99),
            max: (values.max() ?? 0) * 1000
        )
    }

    /// The value at `percentile` (0–100) of a CDF drawn from sorted `seconds`, in ms; for charts.
    public static func cdfPoints(seconds values: [Double], points: Int = 200) -> [(ms: Double, fraction: Double)] {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return [] }
        let step = Swift.max(1, sorted.count / points)
        var result: [(Double, Double)] = []
        for index in stride(from: 0, to: sorted.count, by: step) {
            result.append((sorted[index] * 1000, Double(index + 1) / Double(sorted.count)))
        }
        if result.last?.1 != 1 { result.append(((sorted.last ?? 0) * 1000, 1)) }
        return result
    }
}
