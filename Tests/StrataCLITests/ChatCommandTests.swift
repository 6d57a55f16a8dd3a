import Foundation
import StrataTestSupport
import XCTest

/// `strata generate --chat [--system]`: the prompt goes through the model's chat template.
final class ChatCommandTests: XCTestCase {
    private var strata: StrataBinary!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
    }

    private func generateJSON(_ arguments: [String]) throws -> [String: Any] {
        let output = try strata.run(["generate", "--temperature", "0", "--json", "--threads", "2"] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    private func promptTokens(_ report: [String: Any]) -> Int? {
        (report["timings"] as? [String: Any])?["prompt_tokens"] as? Int
    }

    /// `--chat --system` on the default model is the same run as Gemma's turn format written out
    /// by hand with `--parse-special` (the built-in template, since the file ships none).
    func testChatOnTheDefaultModelUsesGemmasTurnFormat() throws {
        let model = try TestResources.requireDefaultModel()
        let chat = try generateJSON([
            "--model", model, "--chat", "--system", "Answer in one word.",
            "--prompt", "What is the capital of France?", "--max-tokens", "6",
        ])
        let handWritten = "<start_of_turn>user\nAnswer in one word.\n\nWhat is the capital of France?<end_of_turn>\n"
            + "<start_of_turn>model\n"
        let plain = try generateJSON(["--model", model, "--parse-special", "--prompt", handWritten, "--max-tokens", "6"])
        XCTAssertEqual(promptTokens(chat), 22)
        XCTAssertEqual(promptTokens(chat), promptTokens(plain))
        XCTAssertEqual(chat["ids"] as? [Int], plain["ids"] as? [Int])
        XCTAssertEqual((chat["ids"] as? [Int])?.count, 6)

        let ids = try strata.run(["tokenize", "--model", model, "--parse-special", "--add-bos", "--text", handWritten])
        XCTAssertEqual(ids.stdout.filter { $0 == "," }.count + 1, 22, "BOS once, then the turn tokens")
    }

    func testChatWithoutSystemMessage() throws {
        let model = try TestResources.requireDefaultModel()
        let chat = try generateJSON(["--model", model, "--chat", "--prompt", "Hello", "--max-tokens", "2"])
        let plain = try generateJSON([
            "--model", model, "--parse-special", "--max-tokens", "2",
            "--prompt", "<start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\n",
        ])
        XCTAssertEqual(promptTokens(chat), promptTokens(plain))
        XCTAssertEqual(chat["ids"] as? [Int], plain["ids"] as? [Int])
    }

    /// The tiny Qwen2 model carries a ChatML template in its metadata, which takes precedence.
    func testChatUsesTheTemplateInTheFile() throws {
        let model = try TestResources.requireFixture("tiny-models/tiny-qwen2-q8.gguf").path
        let chat = try generateJSON(["--model", model, "--chat", "--system", "Be brief.", "--prompt", "Hi", "--max-tokens", "4"])
        let chatML = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        let plain = try generateJSON(["--model", model, "--parse-special", "--prompt", chatML, "--max-tokens", "4"])
        XCTAssertEqual(promptTokens(chat), promptTokens(plain))
        XCTAssertEqual(chat["ids"] as? [Int], plain["ids"] as? [Int])
    }

    func testSystemNeedsChat() throws {
        let model = try TestResources.requireDefaultModel()
        let output = try strata.run(["generate", "--model", model, "--system", "x", "--prompt", "y"])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("--system needs --chat"), output.stderr)
    }
}
