import Foundation
import StrataCatalog
import XCTest

/// Alias moves, pins, deprecation, retirement and blob removal, with their refusals.
final class CatalogRulesTests: XCTestCase {
    private var fixture: CatalogFixture!
    private var one: ModelVersion!
    private var two: ModelVersion!
    private var catalog: Catalog { fixture.catalog }

    override func setUpWithError() throws {
        fixture = try CatalogFixture()
        one = try fixture.catalog.importModel(path: try fixture.variant(1), name: "m", actor: "a").version
        two = try fixture.catalog.importModel(path: try fixture.variant(2), name: "m", actor: "a").version
    }

    func testMovingAnAliasIsAuditedWithOldAndNew() throws {
        let before = try catalog.auditLog().count
        let old = try catalog.setAlias("m:latest", to: two.reference, actor: "bob")
        XCTAssertEqual(old, one)
        XCTAssertEqual(try catalog.resolve("m").version, two)
        let entry = try XCTUnwrap(try catalog.auditLog().last)
        XCTAssertEqual(try catalog.auditLog().count, before + 1)
        XCTAssertEqual([entry.action, entry.subject, entry.actor], ["alias.set", "m:latest", "bob"])
        XCTAssertEqual(entry.old, one.reference)
        XCTAssertEqual(entry.new, two.reference)
        // Setting it to where it already points changes and records nothing.
        try catalog.setAlias("m:latest", to: two.reference, actor: "bob")
        XCTAssertEqual(try catalog.auditLog().count, before + 1)
    }

    func testARefusedAliasMoveChangesNothing() throws {
        let other = try catalog.importModel(path: try fixture.variant(3), name: "other", actor: "a").version
        let before = try catalog.auditLog()
        XCTAssertCatalogError(.aliasAcrossModels(alias: "m:latest", version: other.shortName)) {
            try catalog.setAlias("m:latest", to: "other", actor: "a")
        }
        XCTAssertEqual(try catalog.auditLog(), before)
        XCTAssertEqual(try catalog.resolve("m").version, one)
    }

    func testPinsAreOwnedAndCannotTakeAModelsName() throws {
        try catalog.setPin("prod", to: one.reference, owner: "team-a", actor: "a")
        XCTAssertCatalogError(.pinOwnedByOther(pin: "prod", owner: "team-a")) {
            try catalog.setPin("prod", to: two.reference, owner: "team-b", actor: "b")
        }
        XCTAssertEqual(try catalog.setPin("prod", to: two.reference, owner: "team-a", actor: "a"), one)
        XCTAssertEqual(try catalog.pins().map(\.version), [two])
        XCTAssertCatalogError(.nameTaken("m", takenBy: "a model")) {
            try catalog.setPin("m", to: one.reference, owner: "team-a", actor: "a")
        }
        let path = try fixture.variant(4)
        XCTAssertCatalogError(.nameTaken("prod", takenBy: "a pin")) {
            try catalog.importModel(path: path, name: "prod", actor: "a")
        }
        XCTAssertEqual(try catalog.removePin("prod", actor: "a"), two)
        XCTAssertCatalogError(.unknownPin("prod")) { try catalog.removePin("prod", actor: "a") }
        let actions = try catalog.auditLog().map(\.action)
        XCTAssertEqual(actions.filter { $0 == "pin.set" }.count, 2)
        XCTAssertEqual(actions.last, "pin.remove")
    }

    func testDeprecationOnlyMarksTheVersion() throws {
        let deprecated = try catalog.deprecate("m:latest", note: "use v2", sunset: "2027-03-31", actor: "a")
        XCTAssertEqual(deprecated.status, .deprecated)
        XCTAssertEqual(deprecated.deprecationNote, "use v2")
        XCTAssertEqual(deprecated.sunsetDate, "2027-03-31")
        XCTAssertEqual(try catalog.resolve("m").version, deprecated, "a deprecated version keeps resolving")
        XCTAssertEqual(try catalog.resolve(one.reference).version.status, .deprecated)
        XCTAssertEqual(try catalog.auditLog().last?.new, "deprecated: use v2 (sunset 2027-03-31)")
        for bad in ["2027-02-30", "27-01-01", "tomorrow"] {
            XCTAssertCatalogError(.invalidSunsetDate(bad)) { try catalog.deprecate("m", note: "x", sunset: bad, actor: "a") }
        }
    }

    func testRetiringIsRefusedWhileAliasesPinsOrTheServerHoldIt() throws {
        try catalog.setAlias("m:stable", to: one.reference, actor: "a")
        try catalog.setPin("prod", to: one.reference, owner: "team-a", actor: "a")
        XCTAssertCatalogError(.retireBlocked(version: one.shortName, aliases: ["m:latest", "m:stable"],
                                             pins: ["prod (owner team-a)"], loaded: false)) {
            try catalog.retire(one.reference, actor: "a")
        }
        let message = String(describing: CatalogError.retireBlocked(version: one.shortName, aliases: ["m:latest"], pins: ["prod (owner team-a)"], loaded: true))
        XCTAssertTrue(message.contains("m:latest") && message.contains("prod (owner team-a)") && message.contains("loaded"), message)
        try catalog.setAlias("m:latest", to: two.reference, actor: "a")
        try catalog.removeAlias("m:stable", actor: "a")
        try catalog.removePin("prod", actor: "a")
        XCTAssertCatalogError(.retireBlocked(version: one.shortName, aliases: [], pins: [], loaded: true)) {
            try catalog.retire(one.reference, loadedDigests: [one.digest], actor: "a")
        }
        XCTAssertEqual(try catalog.lookup(one.reference).version.status, .active, "refusals change nothing")

        let retired = try catalog.retire(one.reference, loadedDigests: [two.digest], actor: "a")
        XCTAssertEqual(retired.status, .retired)
        XCTAssertCatalogError(.versionRetired(one.shortName)) { try catalog.resolve(one.reference) }
        XCTAssertEqual(try catalog.lookup(one.reference).version, retired, "show still finds it")
        XCTAssertCatalogError(.versionRetired(one.shortName)) { try catalog.setAlias("m:old", to: one.reference, actor: "a") }
        XCTAssertCatalogError(.versionRetired(one.shortName)) { try catalog.setPin("p", to: one.reference, owner: "t", actor: "a") }
        XCTAssertCatalogError(.alreadyRetired(one.shortName)) { try catalog.retire(one.reference, actor: "a") }
        XCTAssertCatalogError(.alreadyRetired(one.shortName)) { try catalog.deprecate(one.reference, note: "x", actor: "a") }
        XCTAssertEqual(try catalog.auditLog().last?.action, "version.retire")
    }

    func testABlobIsRemovableOnlyOnceNoLiveVersionReferencesIt() throws {
        XCTAssertCatalogError(.blobInUse(digest: one.digest, versions: [one.shortName + ", active"])) {
            try catalog.removeBlob(one.digest, actor: "a")
        }
        try catalog.setAlias("m:latest", to: two.reference, actor: "a")
        try catalog.retire(one.reference, actor: "a")
        try catalog.removeBlob("sha256:" + one.digest, actor: "a")
        XCTAssertNil(catalog.blobPath(digest: one.digest))
        XCTAssertEqual(try catalog.lookup(one.reference).version.status, .retired, "the record stays")
        XCTAssertCatalogError(.unknownBlob(one.digest)) { try catalog.removeBlob(one.digest, actor: "a") }
        XCTAssertEqual(try catalog.auditLog().last?.action, "blob.remove")
    }

    func testGarbageCollectionRemovesOnlyUnreferencedBlobsAndDeadTemporaries() throws {
        let blobs = fixture.directory + "/blobs/"
        let orphan = String(repeating: "ab", count: 32)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: blobs + "sha256-" + orphan))
        try Data("dead".utf8).write(to: URL(fileURLWithPath: blobs + ".tmp-2147483646-dead"))
        try Data("live".utf8).write(to: URL(fileURLWithPath: blobs + ".tmp-\(getpid())-live"))
        let report = try catalog.collectGarbage(actor: "a")
        XCTAssertEqual(report.blobs, [orphan])
        XCTAssertEqual(report.temporaryFiles, [".tmp-2147483646-dead"])
        XCTAssertEqual(report.bytes, 10)
        XCTAssertEqual(try fixture.blobFiles(), ["sha256-" + one.digest, "sha256-" + two.digest].sorted())
        XCTAssertTrue(FileManager.default.fileExists(atPath: blobs + ".tmp-\(getpid())-live"))
    }
}
