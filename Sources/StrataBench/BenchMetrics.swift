/// The aggregates of one run, computed from the recorded timelines alone (pure: no clock, no I/O).
/// Throughputs divide by `duration`, the wall time of the measured part of the run, as vLLM does.
public struct BenchMetrics: Sendable, Equatable {
    /// Wall time of the measured run, seconds.
    public var duration: Double
    /// Successful requests.
    public var completed: Int
    /// Failed requests.
    public var failed: Int
    /// Failures by kind.
    public var failuresByKind: [FailureKind: Int]
    /// Prompt tokens of successful requests.
    public var totalInputTokens: Int
    /// Output tokens of successful requests.
    public var totalOutputTokens: Int
    /// Successful requests whose output count came from `usage` (the rest were counted from chunks).
    public var outputTokensFromUsage: Int
    /// Successful requests whose input count came from `usage` (the rest were estimated).
    public var inputTokensFromUsage: Int
    /// Successful requests per second.
    public var requestThroughput: Double
    /// Requests per second that met every SLO; `nil` without SLOs.
    public var requestGoodput: Double?
    /// Output tokens per second.
    public var outputThroughput: Double
    /// Input plus output tokens per second.
    public var totalTokenThroughput: Double
    /// Time to first token.
    public var ttft: LatencySummary
    /// Time per output token, excluding the first.
    public var tpot: LatencySummary
    /// Inter-token latency.
    public var itl: LatencySummary
    /// End-to-end latency.
    public var e2el: LatencySummary
    /// The most requests in flight at once.
    public var maxConcurrentRequests: Int
    /// The highest one-second output token rate.
    public var maxOutputTokensPerSecond: Double
    /// Throughput and concurrency over time.
    public var series: TimeSeries

    /// Aggregates `records` of a run that took `duration` seconds.
    public init(records: [RequestRecord], duration: Double, slo: ServiceLevelObjectives = .none, streamed: Bool = true) {
        let metrics = records.map { RequestMetrics($0, streamed: streamed) }
        let successes = metrics.filter(\.succeeded)
        let safeDuration = duration > 0 ? duration : 1
        self.duration = duration
        completed = successes.count
        failed = metrics.count - successes.count
        failuresByKind = records.compactMap(\.failure).reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
        totalInputTokens = successes.reduce(0) { $0 + $1.inputTokens }
        totalOutputTokens = successes.reduce(0) { $0 + $1.outputTokens }
        outputTokensFromUsage = successes.filter { $0.outputSource == .usage }.count
        inputTokensFromUsage = successes.filter { $0.inputSource == .usage }.count
        requestThroughput = Double(completed) / safeDuration
        requestGoodput = slo.isEmpty ? nil : Double(successes.filter(slo.isMet).count) / safeDuration
        outputThroughput = Double(totalOutputTokens) / safeDuration
        totalTokenThroughput = Double(totalInputTokens + totalOutputTokens) / safeDuration
        ttft = LatencySummary(seconds: successes.compactMap(\.ttft))
        tpot = LatencySummary(seconds: successes.compactMap(\.tpot))
        itl = LatencySummary(seconds: successes.flatMap(\.itls))
        e2el = LatencySummary(seconds: successes.compactMap(\.e2el))
        maxConcurrentRequests = TimeSeries.maxConcurrency(records)
        series = TimeSeries(records: records)
        maxOutputTokensPerSecond = series.outputTokensPerSecond.max() ?? 0
    }
}
