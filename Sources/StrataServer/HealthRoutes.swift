import Hummingbird

/// `GET /health` (the process answers) and `GET /ready` (the engine takes requests).
struct HealthRoutes: Sendable {
    let model: ServedModel

    struct Status: Encodable {
        var status: String
    }

    func health() throws(APIError) -> Response {
        try JSONBody.response(Status(status: "ok"))
    }

    func ready() throws(APIError) -> Response {
        guard model.engine.isAccepting else {
            throw APIError(
                status: .serviceUnavailable, message: "The engine is not taking requests (starting or draining)",
                type: "server_error", code: "not_ready", retryAfterSeconds: 1)
        }
        return try JSONBody.response(Status(status: "ready"))
    }
}
