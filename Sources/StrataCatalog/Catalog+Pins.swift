import Foundation
import GRDB

extension Catalog {
    /// Creates pin `name`, owned by `owner`, holding the exact version `reference` resolves to;
    /// or moves it, when `owner` owns it. A pin may not take a model's name (bare names would
    /// become ambiguous). Returns the version it held before, if any.
    @discardableResult
    public func setPin(_ name: String, to reference: String, owner: String, actor: String) throws(CatalogError) -> ModelVersion? {
        try Names.validate(name)
        try Names.validate(owner)
        let target = try ModelReference(parsing: reference)
        return try write { db in
            if try Self.modelId(name, in: db) != nil { throw CatalogError.nameTaken(name, takenBy: "a model") }
            let version = try Self.resolve(target, in: db).version
            guard version.status != .retired else { throw CatalogError.versionRetired(version.shortName) }
            let existing = try Row.fetchOne(db, sql: "SELECT owner, versionId FROM pin WHERE name = ?", arguments: [name])
            var old: ModelVersion?
            if let existing {
                let currentOwner: String = existing["owner"]
                guard currentOwner == owner else { throw CatalogError.pinOwnedByOther(pin: name, owner: currentOwner) }
                old = try ModelVersion.fetchOne(db, sql: ModelVersion.selection + " WHERE version.id = ?",
                                                arguments: [existing["versionId"] as Int64])
                guard old?.id != version.id else { return old }
                try db.execute(sql: "UPDATE pin SET versionId = ?, updatedAt = ? WHERE name = ?",
                               arguments: [version.id, Date(), name])
            } else {
                try db.execute(sql: "INSERT INTO pin (name, owner, versionId, updatedAt) VALUES (?, ?, ?, ?)",
                               arguments: [name, owner, version.id, Date()])
            }
            try Self.audit(db, actor: actor, action: "pin.set", subject: "pin \(name) (owner \(owner))",
                           model: version.modelName, old: old?.reference, new: version.reference)
            return old
        }
    }

    /// Removes pin `name` (audited). Returns the version it held.
    @discardableResult
    public func removePin(_ name: String, actor: String) throws(CatalogError) -> ModelVersion {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT owner, versionId FROM pin WHERE name = ?", arguments: [name]),
                  let old = try ModelVersion.fetchOne(db, sql: ModelVersion.selection + " WHERE version.id = ?",
                                                      arguments: [row["versionId"] as Int64])
            else { throw CatalogError.unknownPin(name) }
            let owner: String = row["owner"]
            try db.execute(sql: "DELETE FROM pin WHERE name = ?", arguments: [name])
            try Self.audit(db, actor: actor, action: "pin.remove", subject: "pin \(name) (owner \(owner))",
                           model: old.modelName, old: old.reference, new: nil)
            return old
        }
    }

    /// Every pin, by name.
    public func pins() throws(CatalogError) -> [PinEntry] {
        try read { db in try Self.pins(where: "1", arguments: [], in: db) }
    }

    static func pins(where condition: String, arguments: StatementArguments, in db: Database) throws -> [PinEntry] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT name, owner, versionId FROM pin WHERE \(condition) ORDER BY name", arguments: arguments
        )
        return try rows.compactMap { row -> PinEntry? in
            guard let version = try ModelVersion.fetchOne(
                db, sql: ModelVersion.selection + " WHERE version.id = ?", arguments: [row["versionId"] as Int64]
            ) else { return nil }
            return PinEntry(name: row["name"], owner: row["owner"], version: version)
        }
    }
}
