import Foundation
import GRDB
import StrataCatalog
import StrataGGUF
import XCTest

/// The store: schema, WAL, import, metadata, immutability.
final class CatalogStoreTests: XCTestCase {
    func testMigrationsRunFromAnEmptyFileAndTheDatabaseIsWAL() throws {
        let fixture = try CatalogFixture()
        XCTAssertEqual(try fixture.catalog.appliedMigrations(), ["v1: models, versions, aliases, pins, audit", "v2: serving leases"])
        XCTAssertEqual(try fixture.catalog.journalMode(), "wal")
        XCTAssertEqual(try fixture.catalog.integrityProblems(), [])

        let empty = fixture.directory + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: empty + "/catalog.sqlite", contents: Data()))
        let fromEmpty = try Catalog(directory: empty)
        XCTAssertEqual(try fromEmpty.appliedMigrations().count, 2)
        XCTAssertEqual(try fromEmpty.models(), [])
        // Reopening applies nothing twice.
        XCTAssertEqual(try Catalog(directory: empty).appliedMigrations().count, 2)
    }

    func testImportRecordsTheGGUFMetadataAndStoresTheBlob() throws {
        let fixture = try CatalogFixture()
        let path = try CatalogFixture.file("tiny-models/tiny-llama-q4km.gguf")
        let result = try fixture.catalog.importModel(path: path, name: "tiny", label: "q4", actor: "alice")
        let version = result.version
        let gguf = try GGUFFile(path: path)
        XCTAssertTrue(result.created)
        XCTAssertEqual(result.aliasesSet, ["tiny:latest"])
        XCTAssertEqual(version.modelName, "tiny")
        XCTAssertEqual(version.label, "q4")
        XCTAssertEqual(version.digest.count, 64)
        XCTAssertEqual(version.size, Int64(gguf.fileSize))
        XCTAssertEqual(version.architecture, "llama")
        XCTAssertEqual(version.parameterCount, gguf.tensors.reduce(0) { $0 + Int64($1.elementCount) })
        XCTAssertEqual(version.quantization, "Q4_K_M")
        XCTAssertEqual(version.contextLength, Int64(try gguf.metadata.integer("llama.context_length")))
        XCTAssertEqual(version.tokenizer, "llama")
        XCTAssertEqual(version.hasChatTemplate, gguf.metadata.contains("tokenizer.chat_template"))
        XCTAssertEqual(version.status, .active)
        let blob = try XCTUnwrap(fixture.catalog.blobPath(digest: version.digest))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: blob)), try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(try fixture.blobFiles(), ["sha256-" + version.digest])
    }

    func testImportingTheSameFileTwiceGivesTheSameVersionAndOneBlob() throws {
        let fixture = try CatalogFixture()
        let path = try CatalogFixture.file("vocab/ggml-vocab-llama-spm.gguf")
        let first = try fixture.catalog.importModel(path: path, name: "spm", actor: "a")
        let second = try fixture.catalog.importModel(path: path, name: "spm", label: "other", actor: "a")
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.version, first.version)
        XCTAssertEqual(first.version.label, "v1")
        let elsewhere = try fixture.catalog.importModel(path: path, name: "spm-copy", actor: "a")
        XCTAssertTrue(elsewhere.created)
        XCTAssertEqual(elsewhere.version.digest, first.version.digest)
        XCTAssertEqual(try fixture.blobFiles(), ["sha256-" + first.version.digest])
        let creations = try fixture.catalog.auditLog().filter { $0.action == "version.create" }
        XCTAssertEqual(creations.map(\.subject), [first.version.reference, elsewhere.version.reference])
        XCTAssertEqual(try fixture.blobFiles().count, 1)
    }

    func testALabelCannotBeReusedAndNonGGUFFilesAreRefusedBeforeCopying() throws {
        let fixture = try CatalogFixture()
        let first = try fixture.catalog.importModel(path: try fixture.variant(1), name: "m", label: "x", actor: "a")
        let second = try fixture.variant(2)
        XCTAssertCatalogError(.labelTaken(model: "m", label: "x", existing: first.version.shortName)) {
            try fixture.catalog.importModel(path: second, name: "m", label: "x", actor: "a")
        }
        let text = fixture.directory + "/notes.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertCatalogError(.notAModel(path: text, reason: "no GGUF magic at the start")) {
            try fixture.catalog.importModel(path: text, name: "m", actor: "a")
        }
        let truncated = fixture.directory + "/truncated.gguf"
        try Data(try Data(contentsOf: URL(fileURLWithPath: second)).prefix(1000)).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try fixture.catalog.importModel(path: truncated, name: "m", actor: "a")) { error in
            guard case let .notAModel(path, _) = error as? CatalogError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, truncated)
        }
        XCTAssertEqual(try fixture.blobFiles(), ["sha256-" + first.version.digest], "refused imports leave nothing")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/blobs").count, 1)
    }

    func testImportHardLinksWhenItCanAndCopiesWhenAsked() throws {
        let fixture = try CatalogFixture()
        let linkedSource = try fixture.variant(1), copiedSource = try fixture.variant(2)
        let linked = try fixture.catalog.importModel(path: linkedSource, name: "m", actor: "a")
        let copied = try fixture.catalog.importModel(path: copiedSource, name: "m", copy: true, actor: "a")
        XCTAssertTrue(linked.linked)
        XCTAssertFalse(copied.linked)
        func inode(_ path: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        }
        XCTAssertEqual(try inode(try XCTUnwrap(fixture.catalog.blobPath(digest: linked.version.digest))), try inode(linkedSource))
        let copy = try XCTUnwrap(fixture.catalog.blobPath(digest: copied.version.digest))
        XCTAssertNotEqual(try inode(copy), try inode(copiedSource))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy)), try Data(contentsOf: URL(fileURLWithPath: copiedSource)))
    }

    func testASymlinkIsImportedAsTheFileItNames() throws {
        let fixture = try CatalogFixture()
        let target = try fixture.variant(1)
        let link = fixture.directory + "/link.gguf"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "variant-1.gguf")
        let version = try fixture.catalog.importModel(path: link, name: "m", actor: "a").version
        let blob = try XCTUnwrap(fixture.catalog.blobPath(digest: version.digest))
        let type = try FileManager.default.attributesOfItem(atPath: blob)[.type] as? FileAttributeType
        XCTAssertEqual(type, .typeRegular)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: blob)), try Data(contentsOf: URL(fileURLWithPath: target)))
    }

    func testVersionsAreImmutableAndTheAuditLogAppendOnly() throws {
        let fixture = try CatalogFixture()
        let version = try fixture.catalog.importModel(path: try fixture.variant(1), name: "m", actor: "a").version
        let queue = try DatabaseQueue(path: fixture.catalog.databasePath)
        for statement in ["UPDATE version SET digest = '\(String(repeating: "0", count: 64))'",
                          "UPDATE version SET size = 1", "UPDATE version SET label = 'z'", "DELETE FROM version",
                          "UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"] {
            XCTAssertThrowsError(try queue.write { try $0.execute(sql: statement) }, statement)
        }
        try queue.write { try $0.execute(sql: "UPDATE version SET status = 'retired'") }
        XCTAssertThrowsError(try queue.write { try $0.execute(sql: "UPDATE version SET status = 'active'") })
        XCTAssertEqual(try fixture.catalog.lookup(version.reference).version.digest, version.digest)
    }
}
