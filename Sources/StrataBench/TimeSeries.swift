/// Throughput and concurrency over the run, in fixed buckets, derived from the records.
public struct TimeSeries: Sendable, Equatable, Codable {
    /// Bucket width in seconds.
    public var bucketSeconds: Double
    /// Output tokens per second in each bucket (tokens of successful requests, at their chunk times).
    public var outputTokensPerSecond: [Double]
    /// Mean number of requests in flight during each bucket.
    public var concurrency: [Double]
    /// Requests completed (successfully or not) per second in each bucket.
    public var requestsPerSecond: [Double]

    /// The series of `records` over [0, end), bucketed by `bucketSeconds`.
    public init(records: [RequestRecord], bucketSeconds: Double = 1) {
        self.bucketSeconds = bucketSeconds
        let end = records.map { $0.endedAt ?? $0.startedAt }.max() ?? 0
        let count = Swift.max(1, Int((end / bucketSeconds).rounded(.up)))
        var tokens = [Double](repeating: 0, count: count)
        var inFlight = [Double](repeating: 0, count: count)
        var completions = [Double](repeating: 0, count: count)
        func bucket(_ time: Double) -> Int { Swift.min(count - 1, Swift.max(0, Int(time / bucketSeconds))) }
        for record in records {
            let finish = record.endedAt ?? record.startedAt
            completions[bucket(finish)] += 1
            // Time in flight, spread over the buckets the request overlaps.
            var index = bucket(record.startedAt)
            while index < count, Double(index) * bucketSeconds < finish {
                let low = Swift.max(record.startedAt, Double(index) * bucketSeconds)
                let high = Swift.min(finish, Double(index + 1) * bucketSeconds)
                if high > low { inFlight[index] += (high - low) / bucketSeconds }
                index += 1
            }
            let metrics = RequestMetrics(record)
            let chunkTokens = record.chunks.reduce(0) { $0 + $1.tokens }
            guard metrics.succeeded, metrics.outputTokens > 0 else { continue }
            if chunkTokens > 0 {
                let scale = Double(metrics.outputTokens) / Double(chunkTokens)
                for chunk in record.chunks where chunk.tokens > 0 { tokens[bucket(chunk.time)] += Double(chunk.tokens) * scale }
            } else {
                tokens[bucket(finish)] += Double(metrics.outputTokens)
            }
        }
        outputTokensPerSecond = tokens.map { $0 / bucketSeconds }
        concurrency = inFlight
        requestsPerSecond = completions.map { $0 / bucketSeconds }
    }

    /// The most requests in flight at any instant.
    public static func maxConcurrency(_ records: [RequestRecord]) -> Int {
        var events: [(time: Double, delta: Int)] = []
        for record in records {
            events.append((record.startedAt, 1))
            events.append((record.endedAt ?? record.startedAt, -1))
        }
        // Ends before starts at equal times: a request that ends as another starts does not overlap it.
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var current = 0, peak = 0
        for event in events {
            current += event.delta
            peak = Swift.max(peak, current)
        }
        return peak
    }
}
