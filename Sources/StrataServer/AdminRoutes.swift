import Hummingbird
import StrataCatalog

/// `/admin/v1/*`: the catalog operations of `strata models`, over HTTP, behind the admin keys.
/// Changes are audited under the admin key's name; `retire` passes the versions this server
/// has loaded, so it refuses them. Importing files, removing blobs and `gc` stay with the CLI
/// (they act on the server's file system).
struct AdminRoutes: Sendable {
    let router: ModelRouter
    let limits: ServerLimits

    struct AliasSet: Decodable { var alias: String; var reference: String }
    struct AliasRemove: Decodable { var alias: String }
    struct PinSet: Decodable { var pin: String; var reference: String; var owner: String }
    struct PinRemove: Decodable { var pin: String }
    struct Deprecate: Decodable { var reference: String; var note: String; var sunset: String? }
    struct Retire: Decodable { var reference: String }

    /// Adds the routes to `group` (already behind the admin key middleware).
    func register(on group: RouterGroup<StrataRequestContext>) {
        group.get("/models") { _, _ in try list() }
        group.get("/pins") { _, _ in try pins() }
        group.get("/audit") { request, _ in try audit(model: request.uri.queryParameters.get("model")) }
        group.get("/show") { request, _ in try show(try Self.reference(request)) }
        group.get("/resolve") { request, _ in try resolve(try Self.reference(request)) }
        group.post("/alias/set") { request, context in
            let body = try await JSONBody.decode(AliasSet.self, from: request, limit: limits.maxBodyBytes)
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                let old = try catalog.setAlias(body.alias, to: body.reference, actor: actor)
                let new = try catalog.lookup(body.alias).version
                return CatalogWire.Move(name: body.alias, old: old?.reference, new: version(new))
            }
        }
        group.post("/alias/remove") { request, context in
            let body = try await JSONBody.decode(AliasRemove.self, from: request, limit: limits.maxBodyBytes)
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                let old = try catalog.removeAlias(body.alias, actor: actor)
                return CatalogWire.Move(name: body.alias, old: old.reference, new: nil)
            }
        }
        group.post("/pin/set") { request, context in
            let body = try await JSONBody.decode(PinSet.self, from: request, limit: limits.maxBodyBytes)
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                let old = try catalog.setPin(body.pin, to: body.reference, owner: body.owner, actor: actor)
                let new = try catalog.lookup(body.pin).version
                return CatalogWire.Move(name: body.pin, old: old?.reference, new: version(new))
            }
        }
        group.post("/pin/remove") { request, context in
            let body = try await JSONBody.decode(PinRemove.self, from: request, limit: limits.maxBodyBytes)
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                let old = try catalog.removePin(body.pin, actor: actor)
                return CatalogWire.Move(name: body.pin, old: old.reference, new: nil)
            }
        }
        group.post("/deprecate") { request, context in
            let body = try await JSONBody.decode(Deprecate.self, from: request, limit: limits.maxBodyBytes)
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                version(try catalog.deprecate(body.reference, note: body.note, sunset: body.sunset, actor: actor))
            }
        }
        group.post("/retire") { request, context in
            let body = try await JSONBody.decode(Retire.self, from: request, limit: limits.maxBodyBytes)
            let loaded = router.loadedDigests
            let actor = try Self.actor(context)
            return try operate { catalog throws(CatalogError) in
                version(try catalog.retire(body.reference, loadedDigests: loaded, actor: actor))
            }
        }
    }

    private func list() throws(APIError) -> Response {
        try operate { catalog throws(CatalogError) in
            CatalogWire.List(data: try catalog.models().map { model in
                CatalogWire.Model(
                    name: model.name, versions: model.versions.map(version),
                    aliases: Dictionary(uniqueKeysWithValues: model.aliases.map { ($0.name, $0.version.reference) }))
            })
        }
    }

    private func pins() throws(APIError) -> Response {
        try operate { catalog throws(CatalogError) in CatalogWire.List(data: try catalog.pins().map(CatalogWire.Pin.init)) }
    }

    private func audit(model: String?) throws(APIError) -> Response {
        try operate { catalog throws(CatalogError) in
            CatalogWire.List(data: try catalog.auditLog(model: model).map(CatalogWire.Audit.init))
        }
    }

    private func show(_ reference: String) throws(APIError) -> Response {
        try operate { catalog throws(CatalogError) in
            let resolution = try catalog.lookup(reference)
            let pointers = try catalog.pointers(to: resolution.version)
            return CatalogWire.Shown(
                version: version(resolution.version), route: resolution.route, aliases: pointers.aliases,
                pins: pointers.pins.map(CatalogWire.Pin.init))
        }
    }

    private func resolve(_ reference: String) throws(APIError) -> Response {
        try operate { catalog throws(CatalogError) in
            let resolution = try catalog.resolve(reference)
            return CatalogWire.Shown(version: version(resolution.version), route: resolution.route, aliases: [], pins: [])
        }
    }

    /// A version as JSON, saying whether this server has it loaded.
    private func version(_ version: ModelVersion) -> CatalogWire.Version {
        CatalogWire.Version(version: version, loaded: router.models.contains { $0.catalogVersion?.id == version.id })
    }

    /// Runs `body` on the catalog and answers its result as JSON; a catalog refusal becomes its
    /// API error.
    private func operate<T: Encodable>(_ body: (Catalog) throws(CatalogError) -> T) throws(APIError) -> Response {
        guard let catalog = router.catalog else {
            throw APIError(status: .notFound, message: "This server has no model catalog (start it with --catalog)",
                           type: "invalid_request_error", code: "no_catalog")
        }
        let result: T
        do throws(CatalogError) { result = try body(catalog) } catch { throw APIError(admin: error) }
        return try JSONBody.response(result)
    }

    private static func reference(_ request: Request) throws(APIError) -> String {
        guard let reference = request.uri.queryParameters.get("reference"), !reference.isEmpty else {
            throw .invalidRequest("Give the version as ?reference=REF", param: "reference")
        }
        return reference
    }

    /// The audited actor: the admin key's name, which the middleware sets.
    private static func actor(_ context: StrataRequestContext) throws(APIError) -> String {
        guard let actor = context.adminActor else { throw .adminUnauthorized }
        return actor
    }
}
