import Foundation
import GRDB

extension Catalog {
    /// Imports the GGUF file at `path` as a version of model `name`.
    ///
    /// The file is staged in the blob store (hard link when possible, else a copy), hashed, and
    /// its metadata read from the staged bytes. Importing a file the model already has returns
    /// that version unchanged. `label` defaults to `v<N>`. The model's `latest` alias is set when
    /// it has none, or moved when `moveLatest` is true. With `copy`, the blob is always a copy, so
    /// it never shares bytes with the original.
    public func importModel(
        path: String, name: String, label: String? = nil, moveLatest: Bool = false, copy: Bool = false,
        actor: String, progress: ((Int64, Int64) -> Void)? = nil
    ) throws(CatalogError) -> ImportResult {
        try Names.validate(name, allowSlash: true)
        if let label { try Names.validate(label) }
        try Self.checkMagic(path)
        let staged = try blobs.stage(path, mayLink: !copy, progress: progress)
        let summary: GGUFSummary
        do { summary = try GGUFSummary(path: staged.temporaryPath) } catch {
            blobs.discard(staged)
            throw error.renamingPath(from: staged.temporaryPath, to: path)
        }
        do {
            return try write { db in
                try self.record(staged, summary: summary, name: name, label: label, moveLatest: moveLatest, actor: actor, in: db)
            }
        } catch {
            if FileManager.default.fileExists(atPath: staged.temporaryPath) { blobs.discard(staged) }
            throw error
        }
    }

    private func record(
        _ staged: BlobStore.Staged, summary: GGUFSummary, name: String, label: String?, moveLatest: Bool,
        actor: String, in db: Database
    ) throws -> ImportResult {
        let modelId = try Self.createModelIfNeeded(name, actor: actor, in: db)
        if let existing = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " WHERE version.modelId = ? AND version.digest = ?",
            arguments: [modelId, staged.digest]
        ) {
            try blobs.publish(staged)
            return ImportResult(version: existing, created: false, linked: staged.linked, aliasesSet: [])
        }
        let chosenLabel = try label ?? Self.nextLabel(modelId: modelId, in: db)
        if let taken = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " WHERE version.modelId = ? AND version.label = ?",
            arguments: [modelId, chosenLabel]
        ) {
            throw CatalogError.labelTaken(model: name, label: chosenLabel, existing: taken.shortName)
        }
        try blobs.publish(staged)
        try db.execute(
            sql: """
                INSERT INTO version (modelId, label, digest, size, architecture, parameterCount, quantization,
                    contextLength, tokenizer, hasChatTemplate, license, createdAt, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')
                """,
            arguments: [
                modelId, chosenLabel, staged.digest, staged.size, summary.architecture, summary.parameterCount,
                summary.quantization, summary.contextLength, summary.tokenizer, summary.hasChatTemplate,
                summary.license, Date(),
            ]
        )
        guard let version = try ModelVersion.fetchOne(
            db, sql: ModelVersion.selection + " WHERE version.id = ?", arguments: [db.lastInsertedRowID]
        ) else { throw CatalogError.database("the new version of \(name) vanished") }
        try Self.audit(db, actor: actor, action: "version.create", subject: version.reference, model: name,
                       old: nil, new: "label \(chosenLabel), \(staged.size) bytes")
        var aliasesSet: [String] = []
        let hasLatest = try Int64.fetchOne(
            db, sql: "SELECT versionId FROM alias WHERE modelId = ? AND name = ?",
            arguments: [modelId, ModelReference.defaultAlias]
        ) != nil
        if moveLatest || !hasLatest {
            try Self.setAlias(model: name, alias: ModelReference.defaultAlias, to: version, actor: actor, in: db)
            aliasesSet.append("\(name):\(ModelReference.defaultAlias)")
        }
        return ImportResult(version: version, created: true, linked: staged.linked, aliasesSet: aliasesSet)
    }

    /// The model's id, inserting (and auditing) it when new. A pin of the same name blocks it.
    static func createModelIfNeeded(_ name: String, actor: String, in db: Database) throws -> Int64 {
        if let id = try modelId(name, in: db) { return id }
        if try String.fetchOne(db, sql: "SELECT name FROM pin WHERE name = ?", arguments: [name]) != nil {
            throw CatalogError.nameTaken(name, takenBy: "a pin")
        }
        try db.execute(sql: "INSERT INTO model (name, createdAt) VALUES (?, ?)", arguments: [name, Date()])
        let id = db.lastInsertedRowID
        try audit(db, actor: actor, action: "model.create", subject: name, model: name, old: nil, new: name)
        return id
    }

    private static func nextLabel(modelId: Int64, in db: Database) throws -> String {
        let labels = Set(try String.fetchAll(db, sql: "SELECT label FROM version WHERE modelId = ?", arguments: [modelId]))
        var number = labels.count + 1
        while labels.contains("v\(number)") { number += 1 }
        return "v\(number)"
    }

    /// Refuses early, before any copy, a file that does not start with the GGUF magic.
    private static func checkMagic(_ path: String) throws(CatalogError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BlobStore.ioError(path, "cannot open") }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        guard magic == Data("GGUF".utf8) else { throw .notAModel(path: path, reason: "no GGUF magic at the start") }
    }
}

extension CatalogError {
    /// The same error naming `original` instead of `staged` (a staged file is an internal name).
    func renamingPath(from staged: String, to original: String) -> CatalogError {
        switch self {
        case let .notAModel(path, reason) where path == staged: .notAModel(path: original, reason: reason)
        default: self
        }
    }
}
