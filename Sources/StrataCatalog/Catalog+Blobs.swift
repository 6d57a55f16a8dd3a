import Foundation
import GRDB

extension Catalog {
    /// The path of the stored blob with `digest`, or nil when it is not in the store.
    public func blobPath(digest: String) -> String? {
        blobs.contains(digest) ? blobs.path(for: digest) : nil
    }

    /// Removes the blob `digest` (64 hex digits, optionally `sha256:`-prefixed). Refused while a
    /// version that is not retired references it. Audited, once per version record it belonged to.
    public func removeBlob(_ digestText: String, actor: String) throws(CatalogError) {
        let digest = digestText.hasPrefix("sha256:") ? String(digestText.dropFirst(7)) : digestText
        guard digest.utf8.count == 64, Names.isDigestPrefix(Substring(digest)) else {
            throw .invalidReference(digestText, reason: "a blob is named by its full sha256 digest (64 hex digits)")
        }
        try write { db in
            guard self.blobs.contains(digest) else { throw CatalogError.unknownBlob(digest) }
            let users = try ModelVersion.fetchAll(
                db, sql: ModelVersion.selection + " WHERE version.digest = ? ORDER BY version.id", arguments: [digest]
            )
            let blocking = users.filter { $0.status != .retired }
            guard blocking.isEmpty else {
                throw CatalogError.blobInUse(digest: digest, versions: blocking.map { "\($0.shortName), \($0.status.rawValue)" })
            }
            try Self.audit(db, actor: actor, action: "blob.remove", subject: "sha256:\(digest)",
                           model: users.first?.modelName, old: users.map(\.reference).joined(separator: ", "), new: nil)
            try self.blobs.remove(digest)
        }
    }

    /// Removes blobs that no version references (left by imports that died between storing the
    /// file and committing the version) and temporary files of import processes no longer running.
    public func collectGarbage(actor: String) throws(CatalogError) -> GarbageReport {
        try write { db in
            let referenced = Set(try String.fetchAll(db, sql: "SELECT DISTINCT digest FROM version"))
            let (digests, temporaries) = try self.blobs.listing()
            var report = GarbageReport(blobs: [], temporaryFiles: [], bytes: 0)
            for digest in digests where !referenced.contains(digest) {
                report.bytes += Self.fileSize(self.blobs.path(for: digest))
                try self.blobs.remove(digest)
                try Self.audit(db, actor: actor, action: "blob.remove", subject: "sha256:\(digest)", model: nil,
                               old: "unreferenced", new: nil)
                report.blobs.append(digest)
            }
            for name in temporaries where !Self.ownerIsRunning(temporaryName: name) {
                let path = self.blobs.directory + "/" + name
                report.bytes += Self.fileSize(path)
                unlink(path)
                report.temporaryFiles.append(name)
            }
            return report
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Whether the process that created `.tmp-<pid>-<uuid>` still runs.
    private static func ownerIsRunning(temporaryName name: String) -> Bool {
        let rest = name.dropFirst(BlobStore.temporaryPrefix.count)
        guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }) else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
