import GRDB

extension Catalog {
    /// The database's journal mode (`wal` for a healthy catalog).
    public func journalMode() throws(CatalogError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws(CatalogError) -> [String] {
        try read { db in try CatalogSchema.migrator.appliedIdentifiers(db).sorted() }
    }

    /// Problems SQLite finds in the database file and its foreign keys; empty when sound.
    public func integrityProblems() throws(CatalogError) -> [String] {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "foreign key violation in \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? -1)"
            }
            return integrity + foreignKeys
        }
    }
}
