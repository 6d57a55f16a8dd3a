import Foundation
import StrataTestSupport
import XCTest

@testable import StrataChat

/// Randomly damaged fixture templates must parse and render or fail with a `ChatTemplateError`, never crash.
final class MutationFuzzTests: XCTestCase {
    /// SplitMix64: a small deterministic generator, so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static var iterations: Int {
        Int(ProcessInfo.processInfo.environment["STRATA_CHAT_FUZZ_ITERATIONS"] ?? "") ?? 1000
    }

    func testMutatedTemplatesNeverCrash() throws {
        let directory = TestResources.fixture("chat-templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jinja") }.sorted()
        let sources = try files.map { try Array(String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8).unicodeScalars) }
        let alphabet = Array("{}%#-+()[]'\".|:,=!<>~*/ \n\tabnotisifinforsetendx0123456789".unicodeScalars)
        let messages = [
            ChatMessage(role: .system, content: "s"), ChatMessage(role: .user, content: "u"), ChatMessage(role: .assistant, content: "a"),
        ]
        var generator = SplitMix64(state: 42)
        var rendered = 0
        for _ in 0..<Self.iterations {
            var source = sources[Int.random(in: 0..<sources.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !source.isEmpty {
                let position = Int.random(in: 0..<source.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: source.remove(at: position)
                case 1: source.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)], at: position)
                default:
                    let end = min(source.count, position + Int.random(in: 1...40, using: &generator))
                    let copy = Array(source[position..<end])
                    source.insert(contentsOf: copy, at: Int.random(in: 0..<source.count, using: &generator))
                }
            }
            let text = String(String.UnicodeScalarView(source))
            if let output = try? ChatTemplate(source: text).render(
                messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>", date: TemplateDate(year: 2026, month: 1, day: 15))
            {
                rendered += output.isEmpty ? 0 : 1
            }
        }
        XCTAssertGreaterThan(rendered, 0)
    }
}
