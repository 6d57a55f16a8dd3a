import Foundation
import StrataTestSupport
import XCTest

/// Bad input gets a one-line error and a non-zero status, never a crash.
final class ErrorTests: XCTestCase {
    private var strata: StrataBinary!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
    }

    private func expectFailure(_ arguments: [String], mentioning fragments: [String]) throws {
        let output = try strata.run(arguments)
        XCTAssertEqual(output.status, 1, "\(arguments): \(output.stderr)")
        let message = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.hasPrefix("Error: "), message)
        for fragment in fragments { XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'") }
    }

    func testTruncatedModelIsRefusedWithTheReason() throws {
        let model = try TestResources.requireDefaultModel()
        let truncated = FileManager.default.temporaryDirectory.appendingPathComponent("strata-truncated-\(getpid()).gguf")
        defer { try? FileManager.default.removeItem(at: truncated) }
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: model))
        try handle.readData(ofLength: 1_000_000).write(to: truncated)
        try expectFailure(["generate", "--model", truncated.path, "--prompt", "hi"], mentioning: ["tokenizer.ggml.tokens"])
    }

    func testMissingFileAndUnsupportedModelsAreNamed() throws {
        try expectFailure(["tokenize", "--model", "/nonexistent/model.gguf", "--text", "hi"], mentioning: ["/nonexistent/model.gguf"])
        let gpt2 = TestResources.fixture("vocab/ggml-vocab-gpt-2.gguf").path
        try expectFailure(["generate", "--model", gpt2, "--prompt", "hi"], mentioning: ["gpt2"])
    }

    func testPromptBeyondTheContextGivesTheNumbers() throws {
        let model = try TestResources.requireDefaultModel()
        try expectFailure(["generate", "--model", model, "--prompt", "hi", "--max-tokens", "40000"],
                          mentioning: ["40000", "32768"])
    }

    func testInvalidOptionsAreRejected() throws {
        let output = try strata.run(["generate", "--prompt", "hi", "--temperature", "-1"])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("--temperature"), output.stderr)
    }
}
