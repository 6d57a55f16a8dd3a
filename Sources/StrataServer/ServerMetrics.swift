import CoreMetrics
import NIOCore
import Prometheus
import StrataEngine

/// The server's Prometheus metrics, recorded through swift-metrics into one registry per
/// server (no process-wide bootstrap, so several servers can live in one process).
///
/// Names (documented in the README): `strata_http_requests_total{endpoint,status}`,
/// `strata_time_to_first_token_seconds`, `strata_inter_token_latency_seconds`,
/// `strata_e2e_request_latency_seconds` (histograms), `strata_prompt_tokens_total`,
/// `strata_generation_tokens_total`, `strata_requests_running`, `strata_requests_waiting`,
/// `strata_kv_cache_usage_ratio`, `strata_prefix_cache_hit_rate`, `strata_preemptions`,
/// `strata_engine_steps`, `strata_kv_window_released_blocks`.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let timeToFirstToken: CoreMetrics.Timer
    private let interTokenLatency: CoreMetrics.Timer
    private let endToEndLatency: CoreMetrics.Timer
    private let promptTokens: CoreMetrics.Counter
    private let generationTokens: CoreMetrics.Counter
    private let running: CoreMetrics.Gauge
    private let waiting: CoreMetrics.Gauge
    private let kvCacheUsage: CoreMetrics.Gauge
    private let prefixCacheHitRate: CoreMetrics.Gauge
    private let preemptions: CoreMetrics.Gauge
    private let steps: CoreMetrics.Gauge
    private let windowReleasedBlocks: CoreMetrics.Gauge

    /// Names of every metric, as printed.
    public static let names = [
        "strata_http_requests_total", "strata_time_to_first_token_seconds", "strata_inter_token_latency_seconds",
        "strata_e2e_request_latency_seconds", "strata_prompt_tokens_total", "strata_generation_tokens_total",
        "strata_requests_running", "strata_requests_waiting", "strata_kv_cache_usage_ratio",
        "strata_prefix_cache_hit_rate", "strata_preemptions", "strata_engine_steps", "strata_kv_window_released_blocks",
    ]

    /// Metrics in a new registry.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Double] = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80]
        let buckets = seconds.map { Duration.nanoseconds(Int64($0 * 1e9)) }
        for name in ["strata_time_to_first_token_seconds", "strata_inter_token_latency_seconds", "strata_e2e_request_latency_seconds"] {
            factory.durationHistogramBuckets[name] = buckets
        }
        self.registry = registry
        self.factory = factory
        timeToFirstToken = CoreMetrics.Timer(label: "strata_time_to_first_token_seconds", factory: factory)
        interTokenLatency = CoreMetrics.Timer(label: "strata_inter_token_latency_seconds", factory: factory)
        endToEndLatency = CoreMetrics.Timer(label: "strata_e2e_request_latency_seconds", factory: factory)
        promptTokens = CoreMetrics.Counter(label: "strata_prompt_tokens_total", factory: factory)
        generationTokens = CoreMetrics.Counter(label: "strata_generation_tokens_total", factory: factory)
        running = CoreMetrics.Gauge(label: "strata_requests_running", factory: factory)
        waiting = CoreMetrics.Gauge(label: "strata_requests_waiting", factory: factory)
        kvCacheUsage = CoreMetrics.Gauge(label: "strata_kv_cache_usage_ratio", factory: factory)
        prefixCacheHitRate = CoreMetrics.Gauge(label: "strata_prefix_cache_hit_rate", factory: factory)
        preemptions = CoreMetrics.Gauge(label: "strata_preemptions", factory: factory)
        steps = CoreMetrics.Gauge(label: "strata_engine_steps", factory: factory)
        windowReleasedBlocks = CoreMetrics.Gauge(label: "strata_kv_window_released_blocks", factory: factory)
        // Every series exists from the start, so a scrape shows all names.
        promptTokens.increment(by: 0)
        generationTokens.increment(by: 0)
    }

    /// Counts one answered HTTP request.
    public func recordRequest(endpoint: String, status: Int) {
        CoreMetrics.Counter(
            label: "strata_http_requests_total", dimensions: [("endpoint", endpoint), ("status", String(status))],
            factory: factory
        ).increment()
    }

    /// Records the latency of a choice's first token.
    func recordTimeToFirstToken(_ duration: Duration) { timeToFirstToken.recordNanoseconds(duration.nanoseconds) }

    /// Records the time between two generated tokens of a choice.
    func recordInterTokenLatency(_ duration: Duration) { interTokenLatency.recordNanoseconds(duration.nanoseconds) }

    /// Records a finished choice: its latency from submission and its token counts.
    func recordFinished(_ summary: GenerationSummary, after duration: Duration) {
        endToEndLatency.recordNanoseconds(duration.nanoseconds)
        promptTokens.increment(by: summary.promptTokens)
        generationTokens.increment(by: summary.completionTokens)
    }

    /// The Prometheus text exposition, with the engine gauges set from `statistics` first.
    public func exposition(statistics: EngineStatistics) -> ByteBuffer {
        running.record(statistics.runningRequests)
        waiting.record(statistics.waitingRequests)
        kvCacheUsage.record(statistics.kvCacheUsage)
        prefixCacheHitRate.record(statistics.prefixCacheHitRate)
        preemptions.record(statistics.preemptions)
        steps.record(statistics.steps)
        windowReleasedBlocks.record(statistics.windowReleasedBlocks)
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return ByteBuffer(bytes: bytes)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
