import Foundation
import StrataTestSupport
import XCTest

/// `generate` and `perplexity` on the tiny `llama` and `qwen2` models, end to end from text,
/// against their llama.cpp references.
final class TinyModelCommandTests: XCTestCase {
    private var strata: StrataBinary!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
    }

    private func reference(_ name: String) throws -> (path: String, json: [String: Any]) {
        let path = try TestResources.requireFixture("tiny-models/\(name).gguf").path
        _ = try TestResources.requireFixture("tiny-models/\(name).reference.json")
        let json = try XCTUnwrap(try TestResources.fixtureJSON("tiny-models/\(name).reference.json") as? [String: Any])
        return (path, json)
    }

    func testGreedyGenerationFromPromptTextMatchesLlamaCpp() throws {
        for name in ["tiny-llama-q4km", "tiny-qwen2-q8"] {
            let (path, json) = try reference(name)
            let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
            for item in cases.prefix(2) {
                let prompt = try XCTUnwrap(item["prompt"] as? String)
                let output = try strata.run([
                    "generate", "--model", path, "--prompt", prompt, "--temperature", "0", "--max-tokens", "16",
                    "--ignore-eos", "--json", "--threads", "2",
                ])
                XCTAssertEqual(output.status, 0, output.stderr)
                let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
                XCTAssertEqual(report["ids"] as? [Int], item["generated_ids"] as? [Int], "\(name): \(prompt)")
                XCTAssertEqual((report["timings"] as? [String: Any])?["prompt_tokens"] as? Int,
                               (item["prompt_ids"] as? [Int])?.count, "\(name): \(prompt)")
            }
        }
    }

    func testPerplexityMatchesLlamaPerplexity() throws {
        for name in ["tiny-llama-q4km", "tiny-qwen2-q8"] {
            let (path, json) = try reference(name)
            let perplexity = try XCTUnwrap(json["perplexity"] as? [String: Any])
            let tokens = try XCTUnwrap(perplexity["n_text_tokens"] as? Int)
            let windows = try XCTUnwrap(perplexity["n_chunks"] as? Int)
            let expected = try XCTUnwrap(perplexity["ln_final_ppl"] as? Double)
            let output = try strata.run([
                "perplexity", "--model", path, "--file", "/usr/share/common-licenses/BSD", "--ctx", "128", "--threads", "2",
            ])
            XCTAssertEqual(output.status, 0, output.stderr)
            let lines = output.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.first, "\(tokens) tokens, \(windows) windows of 128", name)
            let last = try XCTUnwrap(lines.last)
            let match = try XCTUnwrap(last.wholeMatch(of: /PPL = (\d+\.\d{4}) \+\/- \d+\.\d{4}/), last)
            let value = try XCTUnwrap(Double(String(match.1)))
            XCTAssertEqual(log(value), expected, accuracy: 0.1, name)
        }
    }
}
