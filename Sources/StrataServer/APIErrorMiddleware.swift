import Foundation
import HTTPTypes
import Hummingbird
import Logging
import StrataEngine

/// Gives every request an id (`x-request-id` on the response, `request_id` in every log line
/// about it), turns anything a route throws into the OpenAI error JSON, counts every answer in
/// `strata_http_requests_total`, and logs one line per request at `info`: method, path,
/// status and the time until the response head (for a non-streamed completion, the whole
/// generation; for a stream, its first bytes).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    /// Endpoints named in the metrics; anything else counts as `other`, keeping labels bounded.
    static var endpoints: Set<String> {
        [
            "/v1/completions", "/v1/chat/completions", "/v1/models", "/tokenize", "/detokenize", "/health", "/ready", "/metrics",
            "/admin/v1/models", "/admin/v1/pins", "/admin/v1/audit", "/admin/v1/show", "/admin/v1/resolve",
            "/admin/v1/alias/set", "/admin/v1/alias/remove", "/admin/v1/pin/set", "/admin/v1/pin/remove",
            "/admin/v1/deprecate", "/admin/v1/retire",
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let endpoint = Self.endpoints.contains(path) ? path : "other"
        let requestID = ResponseID.make("req-")
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError.from(error, path: path)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(apiError)"])
            } else {
                context.logger.debug("request refused", metadata: ["error": "\(apiError)"])
            }
            response = apiError.response()
        }
        response.headers[HTTPField.Name("x-request-id")!] = requestID
        metrics.recordRequest(endpoint: endpoint, status: response.status.code)
        let milliseconds = (ContinuousClock.now - start).inSeconds * 1000
        context.logger.info("\(request.method) \(path) \(response.status.code)", metadata: [
            "status": "\(response.status.code)",
            "head_ms": .string(String(format: "%.1f", milliseconds)),
        ])
        return response
    }
}
