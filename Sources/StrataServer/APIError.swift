import HTTPTypes
import StrataChat
import StrataEngine

/// A request the server refuses, in OpenAI's terms: the HTTP status and the fields of
/// `{"error": {"message", "type", "param", "code"}}`. Every refusal the API makes is one of these.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status of the response.
    public var status: HTTPResponse.Status
    /// A sentence for the caller.
    public var message: String
    /// OpenAI's error type (`invalid_request_error`, `authentication_error`, …).
    public var type: String
    /// The request field at fault, when there is one.
    public var param: String?
    /// A machine-readable code (`model_not_found`, `context_length_exceeded`, …).
    public var code: String?
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    public var retryAfterSeconds: Int?

    /// An error with every field given.
    public init(
        status: HTTPResponse.Status, message: String, type: String, param: String? = nil, code: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// 400: the request is malformed or a parameter is out of range.
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// 404: the request names a model this server does not serve.
    public static func modelNotFound(_ name: String) -> APIError {
        APIError(
            status: .notFound, message: "The model '\(name)' does not exist", type: "invalid_request_error",
            param: "model", code: "model_not_found")
    }

    /// 401: the API key is missing or wrong.
    public static let unauthorized = APIError(
        status: .unauthorized, message: "Incorrect or missing API key: send 'Authorization: Bearer <key>'",
        type: "authentication_error", code: "invalid_api_key")

    /// 404 for a path no route serves.
    public static func routeNotFound(_ path: String) -> APIError {
        APIError(status: .notFound, message: "No route for \(path)", type: "invalid_request_error", code: "not_found")
    }

    /// 413: the body is larger than the server accepts.
    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, message: "The request body is larger than \(limit) bytes",
            type: "invalid_request_error", code: "request_too_large")
    }

    /// 500: something failed that the caller could not have caused.
    public static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, message: message, type: "server_error", code: "internal_error")
    }

    /// 503: a step of the request could not run (a worker of the model's pipeline failed or
    /// is unreachable); nothing of the answer is usable.
    public static let backendFailed = APIError(
        status: .serviceUnavailable,
        message: "A worker of the model's pipeline failed while running this request; retry once /ready answers 200",
        type: "server_error", code: "backend_failed", retryAfterSeconds: 1)

    /// 503: the model's pipeline is not complete (a worker is down or reconnecting).
    public static let backendNotReady = APIError(
        status: .serviceUnavailable,
        message: "The model's pipeline is not ready (a worker is down or reconnecting); retry once /ready answers 200",
        type: "server_error", code: "not_ready", retryAfterSeconds: 1)

    /// The response to a refusal by the engine; `promptParam` names the request's prompt field.
    public init(_ error: EngineError, promptParam: String = "prompt") {
        switch error {
        case .emptyPrompt:
            self = .invalidRequest("The prompt is empty", param: promptParam)
        case .invalidToken:
            self = .invalidRequest("\(error)", param: promptParam, code: "invalid_token")
        case .contextOverflow, .exceedsCachePool:
            self = .invalidRequest("\(error)", param: promptParam, code: "context_length_exceeded")
        case let .invalidParameter(name, _):
            self = .invalidRequest("\(error)", param: name)
        case .queueFull:
            self = APIError(
                status: .tooManyRequests, message: "\(error)", type: "rate_limit_error", code: "server_overloaded",
                retryAfterSeconds: 1)
        case .shuttingDown:
            self = APIError(
                status: .serviceUnavailable, message: "\(error)", type: "server_error", code: "server_shutting_down",
                retryAfterSeconds: 5)
        case .invalidConfiguration:
            self = .internalError("\(error)")
        }
    }

    /// The response to a conversation the chat template refuses.
    public init(_ error: ChatTemplateError) {
        switch error {
        case .raised:
            self = .invalidRequest("\(error)", param: "messages")
        default:
            self = .internalError("\(error)")
        }
    }
}
