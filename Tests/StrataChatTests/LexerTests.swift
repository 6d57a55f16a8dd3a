import XCTest

@testable import StrataChat

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        var lexer = Lexer(source)
        return try lexer.tokenize().map(\.kind)
    }

    func testExpressionTokens() throws {
        XCTAssertEqual(try kinds("a{{ x.y + 'b\\n' }}"), [
            .text("a"), .expressionStart, .name("x"), .op("."), .name("y"), .op("+"), .string("b\n"), .expressionEnd,
        ])
        XCTAssertEqual(try kinds("{{ 1 // 2.5 != [] }}"), [
            .expressionStart, .integer(1), .op("//"), .float(2.5), .op("!="), .op("["), .op("]"), .expressionEnd,
        ])
    }

    func testWhitespaceControlMarkers() throws {
        XCTAssertEqual(try kinds("a \n {{- x -}} \n b"), [.text("a"), .expressionStart, .name("x"), .expressionEnd, .text("b")])
        XCTAssertEqual(try kinds("a {#- note -#} b"), [.text("a"), .text("b")])
    }

    func testTrimAndLstripBlocks() throws {
        // trim_blocks drops the newline after a block tag; lstrip_blocks the indentation before one.
        XCTAssertEqual(try kinds("x\n    {% if a %}\ny\n{% endif %}\n"), [
            .text("x\n"), .blockStart, .name("if"), .name("a"), .blockEnd, .text("y\n"), .blockStart, .name("endif"), .blockEnd,
        ])
        // Neither applies to expressions, nor to indentation after other text on the line.
        XCTAssertEqual(try kinds("  {{ a }}\nb {% if c %}"), [
            .text("  "), .expressionStart, .name("a"), .expressionEnd, .text("\nb "), .blockStart, .name("if"), .name("c"), .blockEnd,
        ])
    }

    func testSyntaxErrors() {
        XCTAssertThrowsError(try kinds("{{ 'open }}")) { XCTAssertEqual($0 as? ChatTemplateError, .syntax("unterminated string literal", line: 1)) }
        XCTAssertThrowsError(try kinds("\n{% if x")) { XCTAssertEqual($0 as? ChatTemplateError, .syntax("unterminated {% tag", line: 2)) }
        XCTAssertThrowsError(try kinds("{{ a ; b }}"))
    }
}
