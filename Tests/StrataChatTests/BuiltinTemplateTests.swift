import Foundation
import StrataTestSupport
import XCTest

@testable import StrataChat

final class BuiltinTemplateTests: XCTestCase {
    private let turns = [
        ChatMessage(role: .user, content: "What is the capital of France?"),
        ChatMessage(role: .assistant, content: "Paris."),
        ChatMessage(role: .user, content: "And of Italy?"),
    ]

    private func render(_ template: ChatTemplate, _ messages: [ChatMessage], generation: Bool) throws -> String {
        try template.render(messages: messages, addGenerationPrompt: generation, bosToken: "<bos>", eosToken: "<eos>")
    }

    /// Without a system message the built-in template matches Gemma 2's shipped template exactly.
    func testGemmaMatchesShippedTemplate() throws {
        let source = try String(contentsOf: TestResources.fixture("chat-templates/google-gemma-2-2b-it.jinja"), encoding: .utf8)
        let shipped = try ChatTemplate(source: source)
        for architecture in ["gemma", "gemma2", "gemma3"] {
            let builtin = try ChatTemplate.builtin(architecture: architecture)
            for generation in [true, false] {
                XCTAssertEqual(try render(builtin, turns, generation: generation), try render(shipped, turns, generation: generation))
            }
        }
    }

    func testGemmaPrependsSystemToFirstUserTurn() throws {
        let builtin = try ChatTemplate.builtin(architecture: "gemma3")
        let rendered = try render(builtin, [ChatMessage(role: .system, content: "Be brief.")] + turns, generation: true)
        XCTAssertEqual(rendered, """
            <bos><start_of_turn>user
            Be brief.

            What is the capital of France?<end_of_turn>
            <start_of_turn>model
            Paris.<end_of_turn>
            <start_of_turn>user
            And of Italy?<end_of_turn>
            <start_of_turn>model

            """)
    }

    func testGemmaRejectsNonAlternatingRoles() throws {
        let builtin = try ChatTemplate.builtin(architecture: "gemma3")
        XCTAssertThrowsError(try render(builtin, [turns[0], turns[0]], generation: true)) {
            XCTAssertEqual($0 as? ChatTemplateError, .raised("Conversation roles must alternate user/assistant/user/assistant/..."))
        }
    }

    func testUnknownArchitecture() {
        XCTAssertThrowsError(try ChatTemplate.builtin(architecture: "llama")) {
            XCTAssertEqual($0 as? ChatTemplateError, .noBuiltinTemplate(architecture: "llama"))
        }
    }
}
