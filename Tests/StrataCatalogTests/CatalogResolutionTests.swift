import StrataCatalog
import XCTest

/// Every reference form, and every way it can fail.
final class CatalogResolutionTests: XCTestCase {
    func testEveryReferenceFormResolvesToTheExactVersion() throws {
        let fixture = try CatalogFixture()
        let catalog = fixture.catalog
        let one = try catalog.importModel(path: try fixture.variant(1), name: "m", actor: "a").version
        let two = try catalog.importModel(path: try fixture.variant(2), name: "m", actor: "a").version
        try catalog.setAlias("m:stable", to: "m@sha256:" + two.digest, actor: "a")
        try catalog.setPin("prod", to: "m:latest", owner: "team-a", actor: "a")

        XCTAssertEqual(try catalog.resolve("m").version, one, "bare name = latest, which the first import set")
        XCTAssertEqual(try catalog.resolve("m").route, "alias m:latest")
        XCTAssertEqual(try catalog.resolve("m:latest").version, one)
        XCTAssertEqual(try catalog.resolve("m:stable").version, two)
        XCTAssertEqual(try catalog.resolve("m@sha256:" + two.digest).version, two)
        XCTAssertEqual(try catalog.resolve("m@sha256:" + two.digest.prefix(12)).version, two)
        XCTAssertEqual(try catalog.resolve("m@sha256:" + two.digest.prefix(12).uppercased()).version, two)
        XCTAssertEqual(try catalog.resolve("prod").version, one)
        XCTAssertEqual(try catalog.resolve("prod").route, "pin prod")
        // A pin holds the exact version: moving latest does not move it.
        try catalog.setAlias("m:latest", to: "m:stable", actor: "a")
        XCTAssertEqual(try catalog.resolve("m").version, two)
        XCTAssertEqual(try catalog.resolve("prod").version, one)
    }

    func testUnknownNamesAliasesAndDigestsAreTypedErrors() throws {
        let fixture = try CatalogFixture()
        let catalog = fixture.catalog
        let version = try catalog.importModel(path: try fixture.variant(1), name: "m", actor: "a").version
        let other = version.digest.first == "0" ? "1" : "0"
        XCTAssertCatalogError(.unknownName("nope")) { try catalog.resolve("nope") }
        XCTAssertCatalogError(.unknownModel("nope")) { try catalog.resolve("nope:latest") }
        XCTAssertCatalogError(.unknownModel("nope")) { try catalog.resolve("nope@sha256:00") }
        XCTAssertCatalogError(.unknownAlias(model: "m", alias: "beta")) { try catalog.resolve("m:beta") }
        XCTAssertCatalogError(.unknownDigest(model: "m", prefix: other)) { try catalog.resolve("m@sha256:" + other) }
        XCTAssertCatalogError(.invalidReference("m@sha256:zz", reason: "the digest must be 1 to 64 hexadecimal digits")) {
            try catalog.resolve("m@sha256:zz")
        }
        try catalog.removeAlias("m:latest", actor: "a")
        XCTAssertCatalogError(.unknownAlias(model: "m", alias: "latest")) { try catalog.resolve("m") }
    }

    func testAnAmbiguousDigestPrefixNamesTheCandidates() throws {
        let fixture = try CatalogFixture()
        // 17 versions: two of them must share their first hex digit.
        var versions: [ModelVersion] = []
        for index in 0 ..< 17 {
            versions.append(try fixture.catalog.importModel(path: try fixture.variant(index), name: "m", actor: "a").version)
        }
        let groups = Dictionary(grouping: versions) { String($0.digest.prefix(1)) }
        let (digit, sharing) = try XCTUnwrap(groups.first { $0.value.count > 1 })
        XCTAssertCatalogError(.ambiguousDigestPrefix(model: "m", prefix: digit, candidates: sharing.map(\.shortName))) {
            try fixture.catalog.resolve("m@sha256:" + digit)
        }
        let message = String(describing: CatalogError.ambiguousDigestPrefix(model: "m", prefix: digit, candidates: sharing.map(\.shortName)))
        XCTAssertTrue(message.contains(sharing[0].shortName) && message.contains("give more digits"), message)
        for version in sharing {
            XCTAssertEqual(try fixture.catalog.resolve("m@sha256:" + version.digest).version, version)
        }
    }
}
