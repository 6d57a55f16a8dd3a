import GRDB

extension Catalog {
    /// Resolves `reference` to the exact version that should serve it. Retired versions are refused.
    public func resolve(_ reference: String) throws(CatalogError) -> Resolution {
        let parsed = try ModelReference(parsing: reference)
        let resolution = try read { db in try Self.resolve(parsed, in: db) }
        guard resolution.version.status != .retired else { throw .versionRetired(resolution.version.shortName) }
        return resolution
    }

    /// Finds the version `reference` names, retired or not (for `show` and history).
    public func lookup(_ reference: String) throws(CatalogError) -> Resolution {
        let parsed = try ModelReference(parsing: reference)
        return try read { db in try Self.resolve(parsed, in: db) }
    }

    /// Resolution inside a transaction; retired versions included.
    static func resolve(_ reference: ModelReference, in db: Database) throws -> Resolution {
        switch reference {
        case let .digest(model, prefix):
            let modelId = try requireModel(model, in: db)
            let matches = try ModelVersion.fetchAll(
                db, sql: ModelVersion.selection + " WHERE version.modelId = ? AND version.digest LIKE ? ORDER BY version.id",
                arguments: [modelId, prefix + "%"]
            )
            guard let first = matches.first else { throw CatalogError.unknownDigest(model: model, prefix: prefix) }
            guard matches.count == 1 else {
                throw CatalogError.ambiguousDigestPrefix(model: model, prefix: prefix, candidates: matches.map(\.shortName))
            }
            return Resolution(version: first, route: "digest")
        case let .alias(model, alias):
            return try resolveAlias(model: model, alias: alias, in: db)
        case let .bare(name):
            if let pinned = try ModelVersion.fetchOne(
                db, sql: ModelVersion.selection + " JOIN pin ON pin.versionId = version.id WHERE pin.name = ?",
                arguments: [name]
            ) {
                return Resolution(version: pinned, route: "pin \(name)")
            }
            guard try modelId(name, in: db) != nil else { throw CatalogError.unknownName(name) }
            return try resolveAlias(model: name, alias: ModelReference.defaultAlias, in: db)
        }
    }

    private static func resolveAlias(model: String, alias: String, in db: Database) throws -> Resolution {
        let modelId = try requireModel(model, in: db)
        guard let version = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " JOIN alias ON alias.versionId = version.id WHERE alias.modelId = ? AND alias.name = ?",
            arguments: [modelId, alias]
        ) else { throw CatalogError.unknownAlias(model: model, alias: alias) }
        return Resolution(version: version, route: "alias \(model):\(alias)")
    }

    static func modelId(_ name: String, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM model WHERE name = ?", arguments: [name])
    }

    static func requireModel(_ name: String, in db: Database) throws -> Int64 {
        guard let id = try modelId(name, in: db) else { throw CatalogError.unknownModel(name) }
        return id
    }
}
