import Crypto
import Foundation
import StrataCatalog
import StrataTestSupport
import XCTest

/// The catalog survives `kill -9` at any moment: a writer process (`strata models stress-writes`:
/// imports, alias moves, pin moves) is killed at random points, again and again, and after each
/// kill the catalog must be intact, hold every change the writer reported committed, and show
/// nothing half-written.
final class CatalogCrashTests: XCTestCase {
    private static let kills = 30

    func testKillNineInALoopOfWritesLosesNothingCommittedAndShowsNothingHalfWritten() throws {
        let strata = try StrataBinary.locate()
        let seed = try TestResources.requireFixture("vocab/ggml-vocab-phi-3.gguf").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = SplitMix64(seed: 0x5EED_CA7A)
        var checkedBlobs = Set<String>()
        var next = 0
        var killedMidRun = 0
        for round in 0 ..< Self.kills {
            let process = Process()
            process.executableURL = strata.url
            process.arguments = ["models", "stress-writes", "--catalog", directory, "--seed", seed,
                                 "--work", directory + "/work", "--start", "\(next)", "--count", "100000"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Let it commit a random number of steps (possibly none), then kill it after a random pause.
            let steps = Int(random.next() % 9)
            var printed = ""
            while printed.filter({ $0 == "\n" }).count < steps {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
            usleep(UInt32(random.next() % 40_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            printed += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(errors, "", "round \(round): the writer failed by itself")
            if process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL { killedMidRun += 1 }

            let catalog = try Catalog(directory: directory)
            XCTAssertEqual(try catalog.integrityProblems(), [], "round \(round)")
            next = try checkContents(of: catalog, printed: printed, round: round, checkedBlobs: &checkedBlobs)
        }
        XCTAssertEqual(killedMidRun, Self.kills, "every kill must land while the writer runs")
        XCTAssertGreaterThan(next, Self.kills, "the writers must have committed work between kills")
        print("kill -9 loop: \(killedMidRun) kills survived, \(next) imports committed")

        // Leftovers of killed imports are unreferenced blobs or temporary files only; gc removes them.
        let gc = try strata.run(["models", "gc", "--catalog", directory])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        let catalog = try Catalog(directory: directory)
        let referenced = Set(try catalog.models().flatMap(\.versions).map { "sha256-" + $0.digest })
        let stored = Set(try FileManager.default.contentsOfDirectory(atPath: directory + "/blobs"))
        XCTAssertEqual(stored, referenced)
    }

    /// Checks the catalog against what the killed writer printed; returns the next iteration number.
    private func checkContents(of catalog: Catalog, printed: String, round: Int, checkedBlobs: inout Set<String>) throws -> Int {
        var reported: [String: Int] = [:]
        for line in printed.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let index = Int(parts[1]) else { XCTFail("round \(round): odd line '\(line)'"); continue }
            reported[String(parts[0])] = index
        }
        let versions = try catalog.models().first { $0.name == "stress" }?.versions ?? []
        let indices = versions.compactMap { Int($0.label.dropFirst()) }
        // Imports commit in order, each whole: labels s0 … s(n-1), no gaps, every reported one present.
        XCTAssertEqual(indices, Array(0 ..< versions.count), "round \(round)")
        if let lastImport = reported["import"] { XCTAssertGreaterThan(versions.count, lastImport, "round \(round)") }
        // Every version's blob is complete: present, right size, right hash.
        for version in versions where !checkedBlobs.contains(version.digest) {
            let path = try XCTUnwrap(catalog.blobPath(digest: version.digest), "round \(round): blob of \(version.label) missing")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(Int64(bytes.count), version.size)
            XCTAssertEqual(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), version.digest)
            checkedBlobs.insert(version.digest)
        }
        // Every change is in the audit log with its values: one creation per version, and the
        // alias and pin hold exactly what their last audit entries say.
        let audit = try catalog.auditLog(model: "stress")
        XCTAssertEqual(audit.filter { $0.action == "version.create" }.map(\.subject), versions.map(\.reference))
        for (name, subject, step) in [("stress:current", "stress:current", "alias"), ("stress-pin", "pin stress-pin (owner stress)", "pin")] {
            let last = audit.last { $0.subject == subject }
            guard let current = try? catalog.resolve(name).version else {
                XCTAssertNil(reported[step], "round \(round): \(name) was reported set but is missing")
                XCTAssertNil(last, "round \(round): \(name) is audited but missing")
                continue
            }
            XCTAssertEqual(last?.new, current.reference, "round \(round): \(name)")
            if let reportedIndex = reported[step] {
                XCTAssertGreaterThanOrEqual(Int(current.label.dropFirst()) ?? -1, reportedIndex, "round \(round): \(name) lost a move")
            }
        }
        return versions.count
    }
}
