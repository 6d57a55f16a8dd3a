import Hummingbird

/// `GET /metrics`: the Prometheus text exposition.
struct MetricsRoute: Sendable {
    let model: ServedModel
    let metrics: ServerMetrics

    func respond() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: metrics.exposition(statistics: model.engine.statistics)))
    }
}
