import Foundation
import GRDB

extension Catalog {
    /// Points `model:alias` at the version `reference` resolves to, creating or moving the alias
    /// in one transaction with its audit entry. The version must belong to the model and not be
    /// retired. Returns the version it pointed at before, if any.
    @discardableResult
    public func setAlias(_ alias: String, to reference: String, actor: String) throws(CatalogError) -> ModelVersion? {
        let (model, name) = try Self.splitAlias(alias)
        let target = try ModelReference(parsing: reference)
        return try write { db in
            let version = try Self.resolve(target, in: db).version
            guard version.status != .retired else { throw CatalogError.versionRetired(version.shortName) }
            guard version.modelName == model else {
                throw CatalogError.aliasAcrossModels(alias: alias, version: version.shortName)
            }
            return try Self.setAlias(model: model, alias: name, to: version, actor: actor, in: db)
        }
    }

    /// Removes `model:alias` (audited). Returns the version it pointed at.
    @discardableResult
    public func removeAlias(_ alias: String, actor: String) throws(CatalogError) -> ModelVersion {
        let (model, name) = try Self.splitAlias(alias)
        return try write { db in
            let modelId = try Self.requireModel(model, in: db)
            let old = try Self.resolve(.alias(model: model, alias: name), in: db).version
            try db.execute(sql: "DELETE FROM alias WHERE modelId = ? AND name = ?", arguments: [modelId, name])
            try Self.audit(db, actor: actor, action: "alias.remove", subject: alias, model: model,
                           old: old.reference, new: nil)
            return old
        }
    }

    /// Creates or moves an alias inside the current transaction, with its audit entry.
    @discardableResult
    static func setAlias(
        model: String, alias: String, to version: ModelVersion, actor: String, in db: Database
    ) throws -> ModelVersion? {
        let modelId = try requireModel(model, in: db)
        let old = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " JOIN alias ON alias.versionId = version.id WHERE alias.modelId = ? AND alias.name = ?",
            arguments: [modelId, alias]
        )
        guard old?.id != version.id else { return old }
        try db.execute(
            sql: """
                INSERT INTO alias (modelId, name, versionId, updatedAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (modelId, name) DO UPDATE SET versionId = excluded.versionId, updatedAt = excluded.updatedAt
                """,
            arguments: [modelId, alias, version.id, Date()]
        )
        try audit(db, actor: actor, action: "alias.set", subject: "\(model):\(alias)", model: model,
                  old: old?.reference, new: version.reference)
        return old
    }

    /// Splits `name:alias`, validating both parts.
    static func splitAlias(_ text: String) throws(CatalogError) -> (String, String) {
        guard case let .alias(model, alias) = try ModelReference(parsing: text) else {
            throw .invalidReference(text, reason: "expected NAME:ALIAS")
        }
        return (model, alias)
    }
}
