import StrataCatalog

/// Maps each request's `model` to one of the served models, resolving catalog references once
/// per request: `name@sha256:<digest or unique prefix>`, `name:alias`, a pin, or a bare `name`
/// (its `latest` alias). Moving an alias to another loaded version sends new requests there;
/// a request in flight keeps the version it was routed to.
///
/// A file served by path answers to its id (the file name without `.gguf`). A request without
/// `model` goes where the server's first `--model` leads now (`defaultReference`).
public struct ModelRouter: Sendable {
    /// The served models, in the order given; the first is the default.
    public let models: [ServedModel]
    /// The catalog references resolve against; nil when every model is served by path.
    public let catalog: Catalog?
    /// What a request without `model` means: the first model's reference as given on the
    /// command line (re-resolved per request), or nil to always mean the first model.
    public let defaultReference: String?

    /// A router over `models` (at least one, distinct ids).
    public init(models: [ServedModel], catalog: Catalog? = nil, defaultReference: String? = nil) throws(ServerSetupError) {
        guard !models.isEmpty else { throw ServerSetupError("no model to serve") }
        var seen: Set<String> = []
        for model in models {
            guard seen.insert(model.id).inserted else { throw ServerSetupError("'\(model.id)' is given twice") }
        }
        if catalog == nil, models.contains(where: { $0.catalogVersion != nil }) {
            throw ServerSetupError("catalog versions need the catalog they come from")
        }
        self.models = models
        self.catalog = catalog
        self.defaultReference = defaultReference
    }

    /// The first model.
    public var defaultModel: ServedModel { models[0] }

    /// Digests of the catalog versions loaded here (refused by `retire`).
    public var loadedDigests: Set<String> { Set(models.compactMap { $0.catalogVersion?.digest }) }

    /// The model that answers a request naming `name` (nil or empty: the default).
    ///
    /// - Throws: 404 `model_not_found` for a name that is neither a served file nor a catalog
    ///   reference to a loaded version (unknown, retired, or not loaded here); 400 for an
    ///   ambiguous digest prefix; 500 when the catalog cannot be read.
    public func route(_ name: String?) throws(APIError) -> RoutedModel {
        guard let name, !name.isEmpty else {
            guard let defaultReference else { return try routed(defaultModel) }
            return try routeReference(defaultReference, asked: nil)
        }
        if let byPath = models.first(where: { $0.catalogVersion == nil && $0.id == name }) {
            return RoutedModel(model: byPath, version: nil, deprecatedAt: nil)
        }
        return try routeReference(name, asked: name)
    }

    /// A served model with its version's current status.
    private func routed(_ model: ServedModel) throws(APIError) -> RoutedModel {
        guard let version = model.catalogVersion, let catalog else {
            return RoutedModel(model: model, version: nil, deprecatedAt: nil)
        }
        return try routeReference(version.reference, asked: nil, in: catalog)
    }

    private func routeReference(_ reference: String, asked: String?) throws(APIError) -> RoutedModel {
        guard let catalog else { throw APIError.modelNotFound(asked ?? reference) }
        return try routeReference(reference, asked: asked, in: catalog)
    }

    private func routeReference(_ reference: String, asked: String?, in catalog: Catalog) throws(APIError) -> RoutedModel {
        let shown = asked ?? reference
        let version: ModelVersion
        do throws(CatalogError) {
            version = try catalog.resolve(reference).version
        } catch {
            throw APIError(routing: error, model: shown)
        }
        guard let model = models.first(where: { $0.catalogVersion?.id == version.id }) else {
            throw APIError(
                status: .notFound,
                message: "The model '\(shown)' resolves to \(version.shortName), which this server has not loaded; "
                    + "it serves " + models.map(\.id).joined(separator: ", "),
                type: "invalid_request_error", param: "model", code: "model_not_found")
        }
        var deprecatedAt: Double?
        if version.status == .deprecated {
            do throws(CatalogError) {
                deprecatedAt = try catalog.deprecationTime(of: version)?.timeIntervalSince1970
            } catch {
                throw APIError(routing: error, model: shown)
            }
        }
        return RoutedModel(model: model, version: version, deprecatedAt: deprecatedAt)
    }
}
