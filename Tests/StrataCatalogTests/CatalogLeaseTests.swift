import Foundation
import StrataCatalog
import XCTest

/// Serving leases: a running server's loaded versions cannot be retired from any process;
/// leases of processes that are gone count for nothing.
final class CatalogLeaseTests: XCTestCase {
    private var fixture: CatalogFixture!
    private var one: ModelVersion!
    private var two: ModelVersion!

    override func setUpWithError() throws {
        fixture = try CatalogFixture()
        one = try fixture.catalog.importModel(path: try fixture.variant(1), name: "m", actor: "a").version
        two = try fixture.catalog.importModel(path: try fixture.variant(2), name: "m", actor: "a").version
    }

    /// The pid of a process that has exited.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testALiveLeaseBlocksRetirementFromAnotherCatalogHandle() throws {
        try fixture.catalog.acquireLeases(digests: [two.digest])
        XCTAssertEqual(try fixture.catalog.leaseHolders(digest: two.digest), [getpid()])
        // Another process opening the same catalog sees the lease.
        let elsewhere = try Catalog(directory: fixture.directory)
        XCTAssertCatalogError(.retireBlocked(version: two.shortName, aliases: [], pins: [], loaded: true)) {
            try elsewhere.retire(two.reference, actor: "b")
        }
        XCTAssertEqual(try elsewhere.lookup(two.reference).version.status, .active)
        XCTAssertEqual(try elsewhere.auditLog().last?.action, "version.create", "a refusal records nothing")
        try fixture.catalog.releaseLeases()
        XCTAssertEqual(try elsewhere.leaseHolders(digest: two.digest), [])
        XCTAssertEqual(try elsewhere.retire(two.reference, actor: "b").status, .retired)
    }

    func testLeasesOfDeadProcessesAreIgnoredAndCleanedUp() throws {
        let dead = try deadPID()
        try fixture.catalog.acquireLeases(digests: [two.digest], pid: dead)
        XCTAssertEqual(try fixture.catalog.leaseHolders(digest: two.digest), [], "a dead holder counts for nothing")
        // The next acquisition removes the dead process's rows; retiring works meanwhile.
        try fixture.catalog.acquireLeases(digests: [one.digest])
        XCTAssertEqual(try fixture.catalog.retire(two.reference, actor: "b").status, .retired)
        XCTAssertEqual(try fixture.catalog.leaseHolders(digest: one.digest), [getpid()])
        try fixture.catalog.releaseLeases()
        XCTAssertEqual(try fixture.catalog.leaseHolders(digest: one.digest), [])
    }

    func testDeprecationTimeIsTheLatestDeprecation() throws {
        XCTAssertNil(try fixture.catalog.deprecationTime(of: two))
        let before = Date()
        try fixture.catalog.deprecate(two.reference, note: "first", actor: "a")
        let first = try XCTUnwrap(try fixture.catalog.deprecationTime(of: two))
        XCTAssertGreaterThanOrEqual(first.timeIntervalSince1970, before.timeIntervalSince1970 - 1)
        try fixture.catalog.deprecate(two.reference, note: "second", actor: "a")
        let second = try XCTUnwrap(try fixture.catalog.deprecationTime(of: two))
        XCTAssertGreaterThanOrEqual(second, first)
        XCTAssertEqual(try fixture.catalog.auditLog().last.map(\.at), second)
        XCTAssertNil(try fixture.catalog.deprecationTime(of: one))
    }
}
