import Hummingbird

/// `GET /health` (the process answers) and `GET /ready` (every served model's engine takes
/// requests and, for a cluster, every pipeline stage is connected).
struct HealthRoutes: Sendable {
    let router: ModelRouter

    struct Status: Encodable {
        var status: String
    }

    func health() throws(APIError) -> Response {
        try JSONBody.response(Status(status: "ok"))
    }

    func ready() throws(APIError) -> Response {
        guard router.models.allSatisfy({ $0.engine.isAccepting && $0.isBackendReady() }) else {
            throw APIError(
                status: .serviceUnavailable, message: "The engine is not taking requests (starting, draining, or a pipeline stage is down)",
                type: "server_error", code: "not_ready", retryAfterSeconds: 1)
        }
        return try JSONBody.response(Status(status: "ready"))
    }
}
