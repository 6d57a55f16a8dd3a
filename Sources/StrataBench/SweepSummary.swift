/// A sweep over request rates: one result per rate, and where the throughput–latency curve bends.
public struct SweepSummary: Sendable {
    /// Achieved throughput below this fraction of the offered rate means the server no longer keeps up.
    public static let keepUpFraction = 0.9

    /// One point per offered rate, in the order run.
    public var points: [Point]

    /// One rate's outcome.
    public struct Point: Sendable, Equatable {
        /// Offered request rate (req/s).
        public var rate: Double
        /// Achieved request throughput (req/s).
        public var requestThroughput: Double
        /// Output tokens per second.
        public var outputThroughput: Double
        /// p99 end-to-end latency, ms.
        public var p99E2elMs: Double
        /// Mean time to first token, ms.
        public var meanTtftMs: Double

        /// A point.
        public init(rate: Double, requestThroughput: Double, outputThroughput: Double, p99E2elMs: Double, meanTtftMs: Double) {
            self.rate = rate
            self.requestThroughput = requestThroughput
            self.outputThroughput = outputThroughput
            self.p99E2elMs = p99E2elMs
            self.meanTtftMs = meanTtftMs
        }
    }

    /// A summary of points.
    public init(points: [Point]) { self.points = points }

    /// The summary of results run at the given rates.
    public init(rates: [Double], results: [BenchResult]) {
        points = zip(rates, results).map { rate, result in
            Point(
                rate: rate, requestThroughput: result.metrics.requestThroughput,
                outputThroughput: result.metrics.outputThroughput, p99E2elMs: result.metrics.e2el.p99,
                meanTtftMs: result.metrics.ttft.mean
            )
        }
    }

    /// The knee: the highest offered rate the server still kept up with (achieved ≥ 90 % of
    /// offered) before the first rate it did not; `nil` when it kept up with every rate (no bend
    /// seen) or with none.
    public var knee: Double? {
        let sorted = points.sorted { $0.rate < $1.rate }
        guard let firstMiss = sorted.firstIndex(where: { $0.requestThroughput < Self.keepUpFraction * $0.rate }),
              firstMiss > 0
        else { return nil }
        return sorted[firstMiss - 1].rate
    }

    /// Parses `--sweep-rates`: comma-separated positive numbers.
    public static func parseRates(_ text: String) throws(BenchError) -> [Double] {
        let rates = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !rates.isEmpty, rates.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0).isFinite }) else {
            throw .invalidOption("--sweep-rates must be comma-separated positive numbers, e.g. 1,2,4")
        }
        return rates.compactMap { $0 }
    }
}

import Foundation
