import Hummingbird

/// `GET /health` (the process answers) and `GET /ready` (the engine takes requests and, for a
/// cluster, every pipeline stage is connected).
struct HealthRoutes: Sendable {
    let model: ServedModel

    struct Status: Encodable {
        var status: String
    }

    func health() throws(APIError) -> Response {
        try JSONBody.response(Status(status: "ok"))
    }

    func ready() throws(APIError) -> Response {
        guard model.engine.isAccepting, model.isBackendReady() else {
            throw APIError(
                status: .serviceUnavailable, message: "The engine is not taking requests (starting, draining, or a pipeline stage is down)",
                type: "server_error", code: "not_ready", retryAfterSeconds: 1)
        }
        return try JSONBody.response(Status(status: "ready"))
    }
}
