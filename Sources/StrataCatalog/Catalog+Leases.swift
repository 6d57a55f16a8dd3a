import Foundation
import GRDB

extension Catalog {
    /// Records that process `pid` (default: this one) has the blobs `digests` loaded, so that
    /// `retire` refuses their versions from any process while it runs. Leases of processes that
    /// no longer run are removed first. Call `releaseLeases` when the server stops; a server
    /// killed without releasing leaves rows that are ignored once its process is gone.
    public func acquireLeases(digests: Set<String>, pid: Int32 = getpid()) throws(CatalogError) {
        try write { db in
            try Self.removeStaleLeases(in: db)
            for digest in digests.sorted() {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO lease (digest, pid, startedAt) VALUES (?, ?, ?)",
                    arguments: [digest, pid, Date()])
            }
        }
    }

    /// Removes the leases of process `pid` (default: this one).
    public func releaseLeases(pid: Int32 = getpid()) throws(CatalogError) {
        try write { db in try db.execute(sql: "DELETE FROM lease WHERE pid = ?", arguments: [pid]) }
    }

    /// The running processes holding a lease on `digest`, by pid.
    public func leaseHolders(digest: String) throws(CatalogError) -> [Int32] {
        try read { db in try Self.liveLeaseHolders(digest: digest, in: db) }
    }

    static func liveLeaseHolders(digest: String, in db: Database) throws -> [Int32] {
        try Int32.fetchAll(db, sql: "SELECT pid FROM lease WHERE digest = ? ORDER BY pid", arguments: [digest])
            .filter(Self.isRunning)
    }

    private static func removeStaleLeases(in db: Database) throws {
        let pids = try Int32.fetchAll(db, sql: "SELECT DISTINCT pid FROM lease")
        for pid in pids where !isRunning(pid) {
            try db.execute(sql: "DELETE FROM lease WHERE pid = ?", arguments: [pid])
        }
    }

    /// Whether process `pid` exists (on this host).
    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
