import Foundation
import GRDB

/// The model catalog: an SQLite database (WAL, migrated on open) and a content-addressed blob
/// store beside it, in one directory:
///
/// ```
/// <directory>/catalog.sqlite        models, versions, aliases, pins, audit log
/// <directory>/blobs/sha256-<digest> model files, by content
/// ```
///
/// Every change is one IMMEDIATE transaction with its audit entry, committed with
/// `synchronous = FULL`, so a process killed at any moment leaves either all of a change or
/// none of it. Several processes may share a catalog; writers wait for each other.
public final class Catalog: Sendable {
    /// The catalog directory.
    public let directory: String
    /// The SQLite database file.
    public var databasePath: String { directory + "/catalog.sqlite" }
    let pool: DatabasePool
    let blobs: BlobStore

    /// Opens (creating if needed) the catalog in `directory` and applies pending migrations.
    public init(directory: String) throws(CatalogError) {
        self.directory = directory
        blobs = BlobStore(directory: directory + "/blobs")
        do {
            try FileManager.default.createDirectory(atPath: blobs.directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: blobs.directory, reason: "cannot create the catalog directory (\(error.localizedDescription))")
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: directory + "/catalog.sqlite", configuration: configuration)
            try CatalogSchema.migrator.migrate(pool)
        } catch {
            throw .database("\(directory)/catalog.sqlite: \(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE write transaction (committed if it returns, rolled back if it throws).
    func write<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do {
            return try pool.write(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .database(String(describing: error))
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
        do {
            return try pool.read(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .database(String(describing: error))
        }
    }

    /// Appends an audit entry inside the current transaction.
    static func audit(
        _ db: Database, actor: String, action: String, subject: String, model: String?,
        old: String?, new: String?
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, subject, model, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [Date(), actor, action, subject, model, old, new]
        )
    }
}
