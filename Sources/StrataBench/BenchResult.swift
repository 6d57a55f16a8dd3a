/// The outcome of one run: its settings, the records, the aggregates and the self-check.
public struct BenchResult: Sendable {
    /// The target.
    public var target: TargetServer
    /// Offered request rate (`nil` = infinite, or a replay).
    public var requestRate: Double?
    /// Burstiness of the arrivals.
    public var burstiness: Double
    /// Concurrency cap.
    public var maxConcurrency: Int?
    /// Latency targets.
    public var slo: ServiceLevelObjectives
    /// Measured requests, in id order.
    public var records: [RequestRecord]
    /// Warm-up requests that failed (warm-up results are otherwise discarded).
    public var warmupFailures: Int
    /// Aggregates of `records`.
    public var metrics: BenchMetrics
    /// The load generator's self-check.
    public var check: LoadGeneratorCheck
    /// Why the run was cut short (`"SIGINT"`, `"SIGTERM"`), or `nil` when it ran to its end.
    public var interruption: String?

    /// A result; `metrics` is computed from `records`.
    public init(
        target: TargetServer, requestRate: Double?, burstiness: Double, maxConcurrency: Int?, slo: ServiceLevelObjectives,
        records: [RequestRecord], duration: Double, warmupFailures: Int, check: LoadGeneratorCheck
    ) {
        self.target = target
        self.requestRate = requestRate
        self.burstiness = burstiness
        self.maxConcurrency = maxConcurrency
        self.slo = slo
        self.records = records
        self.warmupFailures = warmupFailures
        self.metrics = BenchMetrics(records: records, duration: duration, slo: slo, streamed: target.stream)
        self.check = check
    }
}
