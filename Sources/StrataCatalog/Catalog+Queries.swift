import Foundation
import GRDB

extension Catalog {
    /// Every model with its versions and aliases, by name.
    public func models() throws(CatalogError) -> [ModelSummary] {
        try read { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM model ORDER BY name")
            return try names.map { name in
                let versions = try ModelVersion.fetchAll(
                    db, sql: ModelVersion.selection + " WHERE model.name = ? ORDER BY version.id", arguments: [name]
                )
                return ModelSummary(name: name, versions: versions, aliases: try Self.aliases(model: name, in: db))
            }
        }
    }

    /// The aliases (`name:alias`) and pins pointing at `version`.
    public func pointers(to version: ModelVersion) throws(CatalogError) -> (aliases: [String], pins: [PinEntry]) {
        try read { db in
            let aliases = try Self.aliases(model: version.modelName, in: db)
                .filter { $0.version.id == version.id }.map(\.name)
            let pins = try Self.pins(where: "versionId = ?", arguments: [version.id], in: db)
            return (aliases, pins)
        }
    }

    /// The audit log, oldest first; only entries about `model` when given.
    public func auditLog(model: String? = nil) throws(CatalogError) -> [AuditEntry] {
        try read { db in
            if let model {
                return try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit WHERE model = ? ORDER BY id", arguments: [model])
            }
            return try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id")
        }
    }

    /// When `version` was last deprecated (its latest `version.deprecate` audit entry), or nil
    /// when it never was.
    public func deprecationTime(of version: ModelVersion) throws(CatalogError) -> Date? {
        try read { db in
            try Date.fetchOne(
                db, sql: "SELECT at FROM audit WHERE action = 'version.deprecate' AND subject = ? ORDER BY id DESC LIMIT 1",
                arguments: [version.reference])
        }
    }

    static func aliases(model: String, in db: Database) throws -> [AliasEntry] {
        let rows = try Row.fetchAll(
            db, sql: """
                SELECT alias.name AS alias, alias.versionId AS versionId FROM alias
                JOIN model ON model.id = alias.modelId WHERE model.name = ? ORDER BY alias.name
                """,
            arguments: [model]
        )
        return try rows.map { row in
            let alias: String = row["alias"]
            return AliasEntry(name: "\(model):\(alias)", version: try version(id: row["versionId"], in: db))
        }
    }
}
