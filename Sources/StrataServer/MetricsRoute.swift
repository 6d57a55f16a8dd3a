import Hummingbird
import StrataEngine

/// `GET /metrics`: the Prometheus text exposition. The engine gauges sum over the served models.
struct MetricsRoute: Sendable {
    let router: ModelRouter
    let metrics: ServerMetrics

    func respond() -> Response {
        var total = router.defaultModel.engine.statistics
        for model in router.models.dropFirst() { Self.add(model.engine.statistics, to: &total) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: metrics.exposition(statistics: total)))
    }

    /// Adds one engine's counts to `sum`, so ratios come out over all the engines' blocks and tokens.
    static func add(_ statistics: EngineStatistics, to sum: inout EngineStatistics) {
        sum.runningRequests += statistics.runningRequests
        sum.waitingRequests += statistics.waitingRequests
        sum.totalBlocks += statistics.totalBlocks
        sum.usedBlocks += statistics.usedBlocks
        sum.prefixCacheQueriedTokens += statistics.prefixCacheQueriedTokens
        sum.prefixCacheHitTokens += statistics.prefixCacheHitTokens
        sum.preemptions += statistics.preemptions
        sum.steps += statistics.steps
    }
}
