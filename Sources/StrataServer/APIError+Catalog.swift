import StrataCatalog

extension APIError {
    /// The answer to a request whose `model` the catalog could not resolve to a version that
    /// serves: unknown or retired → 404 `model_not_found`; an ambiguous digest prefix → 400;
    /// a catalog failure → 500.
    init(routing error: CatalogError, model: String) {
        switch error {
        case .invalidReference, .invalidName, .unknownModel, .unknownName, .unknownAlias, .unknownPin, .unknownDigest:
            self = APIError(
                status: .notFound, message: "The model '\(model)' does not exist: \(error)",
                type: "invalid_request_error", param: "model", code: "model_not_found")
        case .versionRetired, .alreadyRetired:
            self = APIError(
                status: .notFound, message: "The model '\(model)' is retired: \(error)",
                type: "invalid_request_error", param: "model", code: "model_not_found")
        case .ambiguousDigestPrefix:
            self = .invalidRequest("\(error)", param: "model", code: "ambiguous_model_reference")
        default:
            self = .internalError("\(error)")
        }
    }

    /// The answer to a refused or failed admin operation: bad input → 400, nothing by that
    /// name → 404, a rule refusing the change → 409, a catalog failure → 500.
    init(admin error: CatalogError) {
        let message = "\(error)"
        switch error {
        case .invalidReference, .invalidName, .invalidSunsetDate, .ambiguousDigestPrefix:
            self = .invalidRequest(message)
        case .unknownModel, .unknownName, .unknownAlias, .unknownPin, .unknownDigest, .unknownBlob:
            self = APIError(status: .notFound, message: message, type: "invalid_request_error", code: "not_found")
        case .versionRetired, .labelTaken, .nameTaken, .aliasAcrossModels, .pinOwnedByOther, .retireBlocked,
             .alreadyRetired, .blobInUse:
            self = APIError(status: .conflict, message: message, type: "invalid_request_error", code: "catalog_conflict")
        case .notAModel, .io, .database:
            self = .internalError(message)
        }
    }
}
