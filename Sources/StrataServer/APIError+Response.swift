import Foundation
import HTTPTypes
import Hummingbird

extension APIError {
    /// The OpenAI error object `{"error": {"message", "type", "param", "code"}}`.
    struct Body: Encodable {
        struct Detail: Encodable {
            let message: String
            let type: String
            let param: String?
            let code: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)   // null rather than absent, as OpenAI
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        let error: Detail
    }

    /// The JSON response for this error, with `Retry-After` when set.
    public func response() -> Response {
        let body = Body(error: .init(message: message, type: type, param: param, code: code))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"message":"error","type":"server_error","param":null,"code":null}}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps anything a handler threw to the API error the client sees: the one place where
    /// framework and decoding errors become OpenAI errors.
    public static func from(_ error: any Error, path: String) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DecodingError:
            return .decoding(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .routeNotFound(path)
            case .contentTooLarge: return APIError(status: .contentTooLarge, message: "The request body is too large", type: "invalid_request_error", code: "request_too_large")
            case .methodNotAllowed: return APIError(status: .methodNotAllowed, message: "Method not allowed on \(path)", type: "invalid_request_error", code: "method_not_allowed")
            default: return APIError(status: error.status, message: error.body ?? error.status.reasonPhrase, type: error.status.code < 500 ? "invalid_request_error" : "server_error")
            }
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return APIError(status: .contentTooLarge, message: "The request body is too large", type: "invalid_request_error", code: "request_too_large")
        case let error as any HTTPResponseError:
            return APIError(status: error.status, message: error.status.reasonPhrase, type: error.status.code < 500 ? "invalid_request_error" : "server_error")
        default:
            return .internalError("\(error)")
        }
    }

    /// A 400 naming the field and what was wrong with it.
    static func decoding(_ error: DecodingError) -> APIError {
        func field(_ path: [any CodingKey]) -> String? {
            let parts = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            guard !parts.isEmpty else { return nil }
            return parts.enumerated().map { $0.offset > 0 && !$0.element.hasPrefix("[") ? ".\($0.element)" : $0.element }.joined()
        }
        switch error {
        case let .typeMismatch(type, context):
            let name = field(context.codingPath)
            return .invalidRequest("'\(name ?? "body")' has the wrong type: expected \(typeName(type))", param: name)
        case let .valueNotFound(type, context):
            let name = field(context.codingPath)
            return .invalidRequest("'\(name ?? "body")' must not be null: expected \(typeName(type))", param: name)
        case let .keyNotFound(key, context):
            let name = field(context.codingPath + [key])
            return .invalidRequest("'\(name ?? key.stringValue)' is required", param: name)
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                return .invalidRequest("The body is not valid JSON")
            }
            let name = field(context.codingPath)
            return .invalidRequest("'\(name ?? "body")' is invalid: \(context.debugDescription)", param: name)
        @unknown default:
            return .invalidRequest("The body could not be decoded")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default: "\(type)"
        }
    }
}
