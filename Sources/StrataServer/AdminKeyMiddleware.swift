import Hummingbird

/// Guards `/admin/v1/*`: the request must carry `Authorization: Bearer <key>` with one of the
/// named admin keys (else 401; with no admin keys configured, 403). The key's name becomes the
/// request's `adminActor`, recorded by the catalog's audit log.
struct AdminKeyMiddleware: RouterMiddleware {
    typealias Context = StrataRequestContext
    let keys: AdminKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !keys.isEmpty else { throw APIError.adminDisabled }
        guard let name = keys.name(forAuthorization: request.headers[.authorization]) else {
            throw APIError.adminUnauthorized
        }
        var context = context
        context.adminActor = name
        return try await next(request, context)
    }
}

extension APIError {
    /// 403: the server was started without admin keys.
    static let adminDisabled = APIError(
        status: .forbidden, message: "The admin API is disabled: start the server with --admin-key NAME=KEY or --admin-key-file",
        type: "permission_error", code: "admin_disabled")

    /// 401: no admin key, or a wrong one.
    static let adminUnauthorized = APIError(
        status: .unauthorized, message: "Incorrect or missing admin key: send 'Authorization: Bearer <admin key>'",
        type: "authentication_error", code: "invalid_admin_key")
}
