import Foundation
import StrataTestSupport
import XCTest

@testable import StrataChat

/// Every case of `chat-templates/rendered.json` (Python jinja2, trim_blocks + lstrip_blocks) renders byte for byte.
final class RenderedFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Message: Decodable { var role: String; var content: String }
        struct Case: Decodable {
            var template: String
            var conversation: String
            var add_generation_prompt: Bool
            var bos_token: String
            var eos_token: String
            var expected: String?
            var expected_error: String?
        }
        var conversations: [String: [Message]]
        var cases: [Case]
    }

    func testEveryFixtureCase() throws {
        let data = try Data(contentsOf: TestResources.fixture("chat-templates/rendered.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        XCTAssertEqual(fixture.cases.count, 24)
        var passed = 0
        for testCase in fixture.cases {
            let label = "\(testCase.template) \(testCase.conversation) gen=\(testCase.add_generation_prompt)"
            let source = try String(contentsOf: TestResources.fixture("chat-templates/" + testCase.template), encoding: .utf8)
            let messages = try XCTUnwrap(fixture.conversations[testCase.conversation]).map { message in
                ChatMessage(role: try XCTUnwrap(ChatMessage.Role(rawValue: message.role)), content: message.content)
            }
            do {
                let template = try ChatTemplate(source: source)
                let rendered = try template.render(
                    messages: messages, addGenerationPrompt: testCase.add_generation_prompt,
                    bosToken: testCase.bos_token, eosToken: testCase.eos_token)
                if let expected = testCase.expected {
                    XCTAssertEqual(rendered, expected, label)
                    if rendered == expected { passed += 1 }
                } else {
                    XCTFail("\(label): rendered, but expected error \(testCase.expected_error ?? "?")")
                }
            } catch {
                if let message = testCase.expected_error {
                    XCTAssertEqual(error, .raised(message), label)
                    if error == .raised(message) { passed += 1 }
                } else {
                    XCTFail("\(label): \(error)")
                }
            }
        }
        XCTAssertEqual(passed, fixture.cases.count)
    }
}
