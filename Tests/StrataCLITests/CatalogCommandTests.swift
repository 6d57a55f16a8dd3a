import Foundation
import StrataTestSupport
import XCTest

/// `strata models …` through the binary, on a catalog in a temporary directory.
final class CatalogCommandTests: XCTestCase {
    private var strata: StrataBinary!
    private var directory = ""

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cli-catalog-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `strata models ARGS --catalog DIR`, expecting success.
    @discardableResult
    private func models(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let output = try strata.run(["models"] + arguments + ["--catalog", directory])
        XCTAssertEqual(output.status, 0, "\(arguments): \(output.stderr)", file: file, line: line)
        return output.stdout
    }

    private func json(_ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try models(arguments + ["--json"]).utf8))
    }

    /// Runs `strata models ARGS --catalog DIR`, expecting a one-line error mentioning `fragments`.
    private func refusal(_ arguments: [String], mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let output = try strata.run(["models"] + arguments + ["--catalog", directory])
        XCTAssertEqual(output.status, 1, "\(arguments) should fail: \(output.stdout)", file: file, line: line)
        let message = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.hasPrefix("Error: ") && !message.contains("\n"), message, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
        }
    }

    func testTheWholeLifeCycleOfAVersion() throws {
        let phi = try TestResources.requireFixture("vocab/ggml-vocab-phi-3.gguf").path
        let spm = try TestResources.requireFixture("vocab/ggml-vocab-llama-spm.gguf").path
        let first = try XCTUnwrap(try json(["import", phi, "--name", "vocab", "--actor", "alice"]) as? [String: Any])
        let one = try XCTUnwrap(first["reference"] as? String)
        XCTAssertEqual(first["aliases_set"] as? [String], ["vocab:latest"])
        XCTAssertEqual(first["tokenizer"] as? String, "llama")
        XCTAssertTrue(try models(["import", phi, "--name", "vocab"]).hasPrefix("already imported: \(one)"))
        let two = try XCTUnwrap((try json(["add", spm, "--name", "vocab", "--label", "spm"]) as? [String: Any])?["reference"] as? String)
        let twoPrefix = String(two.prefix("vocab@sha256:".count + 10))

        let moved = try XCTUnwrap(try json(["alias", "set", "vocab:stable", twoPrefix]) as? [String: Any])
        XCTAssertTrue(moved["old"] is NSNull)
        XCTAssertEqual((moved["new"] as? [String: Any])?["reference"] as? String, two)
        try models(["pin", "set", "prod", "vocab:stable", "--owner", "team-a", "--actor", "bob"])
        XCTAssertEqual(try models(["resolve", "prod"]), two + "\n")
        XCTAssertEqual(try models(["resolve", "vocab"]), one + "\n")
        let listed = try XCTUnwrap(try json(["list"]) as? [[String: Any]])
        XCTAssertEqual(listed.first?["aliases"] as? [String: String], ["vocab:latest": one, "vocab:stable": two])
        let shown = try XCTUnwrap(try json(["show", "prod"]) as? [String: Any])
        XCTAssertEqual(shown["aliases"] as? [String], ["vocab:stable"])
        XCTAssertEqual((shown["pins"] as? [[String: Any]])?.first?["owner"] as? String, "team-a")
        XCTAssertEqual(shown["route"] as? String, "pin prod")

        try models(["deprecate", two, "--note", "use v1", "--sunset", "2027-06-30"])
        XCTAssertEqual(try models(["resolve", "vocab:stable"]), two + "\n", "deprecated versions keep resolving")
        try refusal(["retire", two], mentioning: ["vocab:stable", "prod (owner team-a)"])
        try refusal(["remove-blob", String(two.dropFirst("vocab@".count))], mentioning: ["referenced by", "deprecated"])
        try models(["alias", "remove", "vocab:stable"])
        try models(["pin", "remove", "prod"])
        try models(["retire", two])
        try refusal(["resolve", two], mentioning: ["retired"])
        XCTAssertEqual((try json(["show", two]) as? [String: Any])?["status"] as? String, "retired")
        try models(["remove-blob", String(two.dropFirst("vocab@".count))])
        XCTAssertTrue(try models(["gc"]).contains("freed 0 bytes"))

        let audit = try XCTUnwrap(try json(["audit"]) as? [[String: Any]])
        XCTAssertEqual(audit.compactMap { $0["action"] as? String }, [
            "model.create", "version.create", "alias.set", "version.create", "alias.set", "pin.set",
            "version.deprecate", "alias.remove", "pin.remove", "version.retire", "blob.remove",
        ])
        XCTAssertEqual(audit.first?["actor"] as? String, "alice")
        XCTAssertEqual(audit[5]["actor"] as? String, "bob")
        XCTAssertEqual(audit[4]["new"] as? String, two)
        XCTAssertEqual(try models(["history", "vocab"]).split(separator: "\n").count, 11)

        // STRATA_CATALOG names the catalog when --catalog is absent.
        let viaEnvironment = try strata.run(["models", "resolve", "vocab"], environment: ["STRATA_CATALOG": directory])
        XCTAssertEqual(viaEnvironment.stdout, one + "\n", viaEnvironment.stderr)
    }

    func testEveryRefusalIsOneClearLine() throws {
        let phi = try TestResources.requireFixture("vocab/ggml-vocab-phi-3.gguf").path
        let notes = try TestResources.requireFixture("vocab/LICENSE-llama.cpp").path
        try models(["import", phi, "--name", "vocab"])
        try models(["pin", "set", "prod", "vocab", "--owner", "team-a"])
        try refusal(["resolve", "nothing"], mentioning: ["no pin or model named 'nothing'"])
        try refusal(["resolve", "vocab:beta"], mentioning: ["has no alias 'beta'"])
        try refusal(["resolve", "vocab@sha256:xyz"], mentioning: ["hexadecimal"])
        try refusal(["import", notes, "--name", "x"], mentioning: ["not a GGUF model", notes])
        try refusal(["import", "/nonexistent.gguf", "--name", "x"], mentioning: ["/nonexistent.gguf"])
        try refusal(["pin", "set", "prod", "vocab", "--owner", "team-b"], mentioning: ["owned by 'team-a'"])
        try refusal(["pin", "set", "vocab", "vocab", "--owner", "team-a"], mentioning: ["taken by a model"])
        try refusal(["deprecate", "vocab", "--note", "x", "--sunset", "2027-13-01"], mentioning: ["YYYY-MM-DD"])
        try refusal(["remove-blob", "abc"], mentioning: ["64 hex digits"])
    }

    func testImportingTheDefaultModelGivesItsPublishedChecksum() throws {
        let model = try TestResources.requireDefaultModel()
        let output = try strata.run(["models", "import", model, "--name", "gemma-3-270m", "--catalog", directory])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix(
            "imported gemma-3-270m@sha256:a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818 as gemma-3-270m v1"
        ), output.stdout)
        XCTAssertTrue(output.stderr.contains("100%"), "a large file shows hashing progress: \(output.stderr)")
        let shown = try XCTUnwrap(try json(["show", "gemma-3-270m"]) as? [String: Any])
        XCTAssertEqual(shown["architecture"] as? String, "gemma3")
        XCTAssertEqual(shown["quantization"] as? String, "Q4_K_M")
        XCTAssertEqual(shown["context_length"] as? Int, 32768)
        // This file carries no tokenizer.chat_template (StrataChat has Gemma's format built in).
        XCTAssertEqual(shown["chat_template"] as? Bool, false)
        XCTAssertEqual(shown["tokenizer"] as? String, "llama")
        XCTAssertGreaterThan(try XCTUnwrap(shown["parameters"] as? Int), 200_000_000)
        print("default model import: \(output.stdout)")
    }
}
