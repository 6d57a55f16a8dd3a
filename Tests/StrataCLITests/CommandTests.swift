import Foundation
import StrataTestSupport
import XCTest

/// `strata tokenize`, `generate` and `perplexity` on the default model, through the binary.
final class CommandTests: XCTestCase {
    private var strata: StrataBinary!
    private var model = ""

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        model = try TestResources.requireDefaultModel()
    }

    private func jsonArray(_ text: String) throws -> [Int] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Int])
    }

    func testTokenizePrintsTheFixtureIds() throws {
        guard let root = try TestResources.fixtureJSON("tokenizer-gemma3.json") as? [String: Any],
              let cases = root["cases"] as? [[String: Any]]
        else { return XCTFail("malformed tokenizer fixture") }
        for testCase in cases.prefix(6) {
            let text = try XCTUnwrap(testCase["text"] as? String)
            let plain = try strata.run(["tokenize", "--model", model, "--text", text])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            XCTAssertEqual(try jsonArray(plain.stdout), testCase["ids"] as? [Int], text)
            let bos = try strata.run(["tokenize", "--model", model, "--add-bos", "--text", text])
            XCTAssertEqual(try jsonArray(bos.stdout), testCase["ids_add_bos"] as? [Int], text)
        }
        let special = try strata.run(["tokenize", "--model", model, "--parse-special", "--text", "<start_of_turn>user"])
        XCTAssertEqual(try jsonArray(special.stdout).first, 105)
        let plain = try strata.run(["tokenize", "--model", model, "--text", "<start_of_turn>user"])
        XCTAssertNotEqual(try jsonArray(plain.stdout).first, 105, "special text must be plain unless asked")
    }

    func testGenerateJSONIsGreedyAndWellFormed() throws {
        let output = try strata.run([
            "generate", "--model", model, "--prompt", "The capital of France is", "--max-tokens", "8",
            "--temperature", "0", "--top-logprobs", "3", "--json", "--threads", "2",
        ])
        XCTAssertEqual(output.status, 0, output.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["ids"] as? [Int], [506, 5279, 529, 506, 2891, 529, 7001, 236761])
        XCTAssertEqual(report["text"] as? String, " the capital of the country of France.")
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 8)
        for step in steps {
            let top = try XCTUnwrap(step["top"] as? [[Double]])
            XCTAssertEqual(top.count, 3)
            XCTAssertEqual(top[0][0], Double(try XCTUnwrap(step["id"] as? Int)))
            XCTAssertLessThanOrEqual(try XCTUnwrap(step["logprob"] as? Double), 0)
        }
        let timings = try XCTUnwrap(report["timings"] as? [String: Double])
        XCTAssertEqual(timings["prompt_tokens"], 6)
        XCTAssertEqual(timings["generated_tokens"], 8)
        XCTAssertGreaterThan(try XCTUnwrap(timings["prompt_ms"]), 0)
        XCTAssertGreaterThan(try XCTUnwrap(timings["generate_ms"]), 0)
    }

    func testGenerateStreamsTheSameTextAndSeedsAreReproducible() throws {
        let streamed = try strata.run(["generate", "--model", model, "--prompt", "The capital of France is",
                                       "--max-tokens", "8", "--temperature", "0"])
        XCTAssertEqual(streamed.stdout, " the capital of the country of France.\n")
        let arguments = ["generate", "--model", model, "--prompt", "Once upon a time", "--max-tokens", "12",
                         "--temperature", "0.9", "--seed", "1234", "--json"]
        let first = try strata.run(arguments), second = try strata.run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        let ids = { (output: StrataBinary.Output) in
            (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])?["ids"] as? [Int]
        }
        XCTAssertNotNil(ids(first))
        XCTAssertEqual(ids(first), ids(second))
    }

    func testPerplexityEndsWithTheSummaryLine() throws {
        let output = try strata.run(["perplexity", "--model", model, "--file", "/usr/share/common-licenses/BSD", "--ctx", "128"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let last = try XCTUnwrap(output.stdout.split(separator: "\n").last)
        XCTAssertNotNil(last.wholeMatch(of: /PPL = \d+\.\d{4} \+\/- \d+\.\d{4}/), String(last))
    }
}
