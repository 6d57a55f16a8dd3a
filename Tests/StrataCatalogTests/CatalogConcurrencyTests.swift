import Foundation
import StrataCatalog
import XCTest

/// Several writers (separate connections, as separate processes would have) on one catalog.
final class CatalogConcurrencyTests: XCTestCase {
    func testConcurrentAliasMovesFormOneUnbrokenAuditChain() throws {
        let fixture = try CatalogFixture()
        var versions: [ModelVersion] = []
        for index in 0 ..< 3 {
            versions.append(try fixture.catalog.importModel(path: try fixture.variant(index), name: "m", actor: "a").version)
        }
        let references = versions.map(\.reference)
        let writers = 4, moves = 25
        let catalogs = try (0 ..< writers).map { _ in try Catalog(directory: fixture.directory) }
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for move in 0 ..< moves {
                do {
                    try catalogs[writer].setAlias("m:latest", to: references[(writer + move) % 3], actor: "w\(writer)")
                } catch {
                    failures.record("\(error)")
                }
            }
        }
        XCTAssertEqual(failures.messages, [])
        let moved = try fixture.catalog.auditLog().filter { $0.action == "alias.set" && $0.subject == "m:latest" }
        XCTAssertGreaterThan(moved.count, 1)
        // Each move read the alias and wrote it in one transaction: every entry's old is the previous entry's new.
        for (previous, next) in zip(moved, moved.dropFirst()) {
            XCTAssertEqual(next.old, previous.new)
            XCTAssertNotEqual(next.old, next.new)
        }
        XCTAssertEqual(try fixture.catalog.resolve("m").version.reference, moved.last?.new)
        XCTAssertEqual(try fixture.catalog.integrityProblems(), [])
    }
}

/// Errors collected from several threads.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func record(_ message: String) { lock.withLock { stored.append(message) } }
    var messages: [String] { lock.withLock { stored } }
}
