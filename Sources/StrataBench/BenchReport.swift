import Foundation

/// The JSON report of a run. Keys follow vLLM's `bench serve` result file where they overlap
/// (`completed`, `failed`, `duration`, `request_throughput`, `output_throughput`,
/// `total_token_throughput`, `mean_ttft_ms`, `median_ttft_ms`, `p99_ttft_ms`, … for `ttft`,
/// `tpot`, `itl` and `e2el`; `ttfts` and `itls` in seconds); Strata's additions are the error
/// counts by kind, token-count sources, the load generator's self-check, the time series and
/// one record per request.
public enum BenchReport {
    /// The latency metrics, in report order, with their JSON stem.
    public static let latencyMetrics: [(stem: String, label: String, summary: any KeyPath<BenchMetrics, LatencySummary> & Sendable)] = [
        ("ttft", "Time to First Token", \.ttft),
        ("tpot", "Time per Output Token (excl. 1st token)", \.tpot),
        ("itl", "Inter-token Latency", \.itl),
        ("e2el", "End-to-end Latency", \.e2el),
    ]

    /// The report of `result` as a JSON object.
    public static func object(_ result: BenchResult, date: Date = Date()) -> [String: Any] {
        let metrics = result.metrics
        let perRequest = result.records.map { RequestMetrics($0, streamed: result.target.stream) }
        let successes = perRequest.filter(\.succeeded)
        var object: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: date),
            "backend": "openai-" + result.target.endpoint.rawValue,
            "model_id": result.target.model,
            "url": result.target.requestURL,
            "stream": result.target.stream,
            "http2": result.target.http2,
            "interrupted": result.interruption != nil,
            "interrupt_signal": result.interruption.map { $0 as Any } ?? NSNull(),
            "num_prompts": result.records.count,
            "request_rate": result.requestRate.map { $0 as Any } ?? "inf",
            "burstiness": result.burstiness,
            "max_concurrency": result.maxConcurrency.map { $0 as Any } ?? NSNull(),
            "duration": metrics.duration,
            "completed": metrics.completed,
            "failed": metrics.failed,
            "total_input_tokens": metrics.totalInputTokens,
            "total_output_tokens": metrics.totalOutputTokens,
            "request_throughput": metrics.requestThroughput,
            "request_goodput": metrics.requestGoodput.map { $0 as Any } ?? NSNull(),
            "output_throughput": metrics.outputThroughput,
            "total_token_throughput": metrics.totalTokenThroughput,
            "max_output_tokens_per_s": metrics.maxOutputTokensPerSecond,
            "max_concurrent_requests": metrics.maxConcurrentRequests,
            "input_lens": perRequest.map(\.inputTokens),
            "output_lens": perRequest.map(\.outputTokens),
            "ttfts": perRequest.map { $0.ttft ?? 0 },
            "itls": perRequest.map(\.itls),
            "generated_texts": result.records.map(\.generatedText),
            "errors": result.records.map { $0.failure?.message ?? "" },
            "errors_by_kind": Dictionary(uniqueKeysWithValues: metrics.failuresByKind.map { ($0.key.rawValue, $0.value) }),
            "output_tokens_source": source(usage: metrics.outputTokensFromUsage, of: successes.count),
            "input_tokens_source": source(usage: metrics.inputTokensFromUsage, of: successes.count),
            "slo": [
                "ttft_ms": result.slo.ttftMs.map { $0 as Any } ?? NSNull(),
                "tpot_ms": result.slo.tpotMs.map { $0 as Any } ?? NSNull(),
                "e2el_ms": result.slo.e2elMs.map { $0 as Any } ?? NSNull(),
            ],
            "warmup_failures": result.warmupFailures,
            "bench_cpu_seconds": result.check.cpuSeconds,
            "bench_cpu_percent": result.check.cpuPercent,
            "late_requests": result.check.lateCount,
            "max_lateness_ms": result.check.maxLatenessMs,
            "warnings": result.check.warnings,
            "time_series": [
                "bucket_s": metrics.series.bucketSeconds,
                "output_tokens_per_s": metrics.series.outputTokensPerSecond,
                "requests_per_s": metrics.series.requestsPerSecond,
                "concurrency": metrics.series.concurrency,
            ],
            "requests": zip(result.records, perRequest).map(requestObject),
        ]
        for (stem, _, path) in latencyMetrics {
            let summary = metrics[keyPath: path]
            object["mean_\(stem)_ms"] = summary.mean
            object["median_\(stem)_ms"] = summary.median
            object["std_\(stem)_ms"] = summary.std
            object["p90_\(stem)_ms"] = summary.p90
            object["p95_\(stem)_ms"] = summary.p95
            object["p99_\(stem)_ms"] = summary.p99
        }
        return object
    }

    /// `usage` when every successful request's count came from usage, `counted` when none did, else `mixed`.
    static func source(usage: Int, of total: Int) -> String {
        usage == total ? "usage" : usage == 0 ? "counted" : "mixed"
    }

    private static func requestObject(_ record: RequestRecord, _ metrics: RequestMetrics) -> [String: Any] {
        func ms(_ value: Double?) -> Any { value.map { $0 * 1000 as Any } ?? NSNull() }
        return [
            "id": record.id,
            "scheduled_at": record.scheduledAt,
            "started_at": record.startedAt,
            "ended_at": record.endedAt.map { $0 as Any } ?? NSNull(),
            "success": metrics.succeeded,
            "ttft_ms": ms(metrics.ttft),
            "tpot_ms": ms(metrics.tpot),
            "e2el_ms": ms(metrics.e2el),
            "input_tokens": metrics.inputTokens,
            "input_tokens_source": metrics.inputSource.rawValue,
            "output_tokens": metrics.outputTokens,
            "output_tokens_source": metrics.outputSource.rawValue,
            "chunk_times": record.chunks.map(\.time),
            "chunk_tokens": record.chunks.map(\.tokens),
            "error_kind": record.failure.map { $0.kind.rawValue as Any } ?? NSNull(),
            "error": record.failure.map { $0.message as Any } ?? NSNull(),
        ]
    }

    /// `object` serialized with sorted keys.
    public static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
    }
}
