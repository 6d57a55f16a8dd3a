import Foundation
import GRDB

extension Catalog {
    /// Marks the version `reference` resolves to as deprecated, with a note and an optional
    /// sunset day (`YYYY-MM-DD`). It keeps resolving and serving. Deprecating again updates the
    /// note. Returns the updated version.
    @discardableResult
    public func deprecate(
        _ reference: String, note: String, sunset: String? = nil, actor: String
    ) throws(CatalogError) -> ModelVersion {
        let target = try ModelReference(parsing: reference)
        if let sunset { try Self.validateDay(sunset) }
        return try write { db in
            let version = try Self.resolve(target, in: db).version
            guard version.status != .retired else { throw CatalogError.alreadyRetired(version.shortName) }
            try db.execute(
                sql: "UPDATE version SET status = 'deprecated', deprecationNote = ?, sunsetDate = ? WHERE id = ?",
                arguments: [note, sunset, version.id]
            )
            let before = version.status == .deprecated ? "deprecated: \(version.deprecationNote ?? "")" : "active"
            let after = "deprecated: \(note)" + (sunset.map { " (sunset \($0))" } ?? "")
            try Self.audit(db, actor: actor, action: "version.deprecate", subject: version.reference,
                           model: version.modelName, old: before, new: after)
            return try Self.version(id: version.id, in: db)
        }
    }

    /// Retires the version `reference` resolves to. Refused while any alias or pin points at it,
    /// while its digest is in `loadedDigests` (the server passes the versions it has loaded), or
    /// while a running process holds a lease on its digest (`acquireLeases`: any `strata serve`).
    /// Retirement is final and never automatic. Returns the updated version.
    @discardableResult
    public func retire(
        _ reference: String, loadedDigests: Set<String> = [], actor: String
    ) throws(CatalogError) -> ModelVersion {
        let target = try ModelReference(parsing: reference)
        return try write { db in
            let version = try Self.resolve(target, in: db).version
            guard version.status != .retired else { throw CatalogError.alreadyRetired(version.shortName) }
            let aliases = try String.fetchAll(
                db, sql: """
                    SELECT model.name || ':' || alias.name FROM alias JOIN model ON model.id = alias.modelId
                    WHERE alias.versionId = ? ORDER BY 1
                    """,
                arguments: [version.id]
            )
            let pins = try Self.pins(where: "versionId = ?", arguments: [version.id], in: db)
                .map { "\($0.name) (owner \($0.owner))" }
            let loaded = try loadedDigests.contains(version.digest)
                || !Self.liveLeaseHolders(digest: version.digest, in: db).isEmpty
            guard aliases.isEmpty, pins.isEmpty, !loaded else {
                throw CatalogError.retireBlocked(version: version.shortName, aliases: aliases, pins: pins, loaded: loaded)
            }
            try db.execute(sql: "UPDATE version SET status = 'retired' WHERE id = ?", arguments: [version.id])
            try Self.audit(db, actor: actor, action: "version.retire", subject: version.reference,
                           model: version.modelName, old: version.status.rawValue, new: "retired")
            return try Self.version(id: version.id, in: db)
        }
    }

    static func version(id: Int64, in db: Database) throws -> ModelVersion {
        guard let version = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " WHERE version.id = ?", arguments: [id]
        ) else { throw CatalogError.database("version \(id) vanished") }
        return version
    }

    /// Accepts a real calendar day written `YYYY-MM-DD`.
    static func validateDay(_ text: String) throws(CatalogError) {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { throw .invalidSunsetDate(text) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else {
            throw .invalidSunsetDate(text)
        }
    }
}
