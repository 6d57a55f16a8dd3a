import Foundation
import XCTest

@testable import StrataChat

/// Hands a value from a worker thread to the test.
final class OSAllocatedResult: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: [Result<String, ChatTemplateError>]?

    func set(_ newValue: [Result<String, ChatTemplateError>]) {
        condition.lock()
        value = newValue
        condition.signal()
        condition.unlock()
    }

    func wait() -> [Result<String, ChatTemplateError>]? {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value
    }
}

/// Parser, evaluator, filters and tests on small templates, with outputs checked against Python jinja2.
final class RenderTests: XCTestCase {
    private func render(_ source: String, _ messages: [ChatMessage] = []) throws -> String {
        try ChatTemplate(source: source).render(messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>")
    }

    private let conversation = [
        ChatMessage(role: .system, content: "sys"),
        ChatMessage(role: .user, content: " hi "),
        ChatMessage(role: .assistant, content: "yo"),
    ]

    func testPrecedence() throws {
        XCTAssertEqual(try render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 3 }}"), "7 9 3 -4 2 3.5 8")
        XCTAssertEqual(try render("{{ 'a' ~ 1 ~ 2 * 3 }}|{{ not 1 == 2 }}|{{ 'x' in 'xyz' and not 'q' in 'xyz' }}"), "a16|True|True")
        XCTAssertEqual(try render("{{ '<' + messages[1].content | trim + '>' }}", conversation), "<hi>")
        XCTAssertEqual(try render("{{ messages|length - 1 }}", conversation), "2")
        XCTAssertEqual(try render("{{ 'y' if messages else 'n' }}{{ 'y' if not messages else 'n' }}", conversation), "yn")
    }

    func testSubscriptsAndSlices() throws {
        XCTAssertEqual(try render("{% for m in messages[1:] %}{{ m.role }},{% endfor %}", conversation), "user,assistant,")
        XCTAssertEqual(try render("{% for m in messages[::-1] %}{{ m['role'] }},{% endfor %}", conversation), "assistant,user,system,")
        XCTAssertEqual(try render("{{ 'abcdef'[:-1] }} {{ 'abcdef'[1:4:2] }} {{ [1, 2, 3][-1] }}"), "abcde bd 3")
        XCTAssertEqual(try render("[{{ messages[9] }}][{{ messages[0].missing }}]", conversation), "[][]")
    }

    func testLoopVariables() throws {
        let source = "{% for x in ['a', 'b', 'c'] if x != 'b' %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% else %}none{% endfor %}"
        XCTAssertEqual(try render(source), "10TrueFalse2;21FalseTrue2;")
        XCTAssertEqual(try render("{% for x in [] %}x{% else %}empty{% endfor %}"), "empty")
        // From jinja2: previtem/nextitem are undefined at the edges; depth is 1 in every non-recursive loop.
        XCTAssertEqual(try render("{% for i in [1,2,3] %}{{ loop.previtem }}{{ loop.nextitem }}{{ loop.depth }}|{% endfor %}"), "21|131|21|")
        XCTAssertEqual(try render("{% for i in [1] %}{% for j in [2] %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}{% endfor %}"), "10")
        XCTAssertEqual(try render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }} {% endfor %}"), "a=1 b=2 ")
    }

    func testScopingAndNamespace() throws {
        XCTAssertEqual(try render("{% set x = 1 %}{% for i in [1, 2] %}{% set x = i %}{% endfor %}{{ x }}"), "1")
        XCTAssertEqual(try render("{% set ns = namespace(x=1) %}{% for i in [1, 2] %}{% set ns.x = ns.x + i %}{% endfor %}{{ ns.x }}"), "4")
        XCTAssertEqual(try render("{% if true %}{% set y = 'in' %}{% endif %}{{ y }}"), "in")
    }

    func testTests() throws {
        XCTAssertEqual(try render("{{ x is defined }}{{ x is not defined }}{{ none is none }}{{ 'a' is string }}{{ false is false }}{{ {} is mapping }}{{ [] is iterable }}"), "FalseTrueTrueTrueTrueTrueTrue")
        XCTAssertEqual(try render("{{ 3 is odd }}{{ 2 is equalto 2 }}{{ not x is none }}"), "TrueTrueTrue")
    }

    func testFilters() throws {
        XCTAssertEqual(try render("{{ ' a '|trim }}|{{ 'Ab'|upper }}{{ 'Ab'|lower }}|{{ [1, 2]|first }}{{ [1, 2]|last }}|{{ x|default('d') }}|{{ ['a', 'b']|join(', ') }}|{{ 'aXa'|replace('a', 'b') }}"), "a|ABab|12|d|a, b|bXb")
        XCTAssertEqual(try render("{{ {'k': [1, 'é\"', none, true, 1.5]}|tojson }}"), #"{"k": [1, "é\"", null, true, 1.5]}"#)
        XCTAssertEqual(try render("{{ {'k': [1]}|tojson(indent=2) }}"), "{\n  \"k\": [\n    1\n  ]\n}")
        XCTAssertEqual(try render("{{ messages|selectattr('role', 'equalto', 'user')|list|length }}{{ [1, 2, 3]|reject('equalto', 2)|join }}", conversation), "113")
        XCTAssertEqual(try render("{% for k, v in {'a': 1}|items %}{{ k }}{{ v }}{% endfor %}{{ 5|string + 'x' }}"), "a15x")
    }

    /// From jinja2: undefined acts as an empty string or sequence in filters and tests.
    func testUndefinedInFiltersLikeJinja2() throws {
        let source = "[{{ x|trim }}{{ x|upper }}{{ x|first }}{{ x|items|list }}{{ x|join(',') }}{{ x|length }}{{ x is iterable }}{{ x is sequence }}{{ 2 * 'ab' }}{{ true * [1] }}{{ 'a' * false }}{{ true|abs }}{{ x|capitalize }}{{ x|replace('a','b') }}{{ x|reverse|list }}{{ x|select|list }}{{ x|map(attribute='a')|list }}]"
        XCTAssertEqual(try render(source), "[[]0TrueTrueabab[1]1[][][]]")
        XCTAssertThrowsError(try render("{{ x|int }}")) { XCTAssertEqual($0 as? ChatTemplateError, .runtime("'x' is undefined", line: 1)) }
        XCTAssertThrowsError(try render("{{ x|tojson }}"))
        XCTAssertThrowsError(try render("{{ {'a': 1}|reverse }}"))
    }

    func testStringMethods() throws {
        XCTAssertEqual(try render("{{ 'a</think>\\nb'.split('</think>')[-1].lstrip('\\n') }}|{{ ' x '.strip() }}|{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith('bc') }}"), "b|x|TrueTrue")
    }

    func testValuesPrintLikePython() throws {
        XCTAssertEqual(try render("{{ none }} {{ true }} {{ 1.0 }} {{ [1, 'a'] }} {{ {'a': none} }} [{{ undefined_name }}]"), "None True 1.0 [1, 'a'] {'a': None} []")
    }

    func testRaiseException() {
        XCTAssertThrowsError(try render("{{ raise_exception('bad ' + 'roles') }}")) {
            XCTAssertEqual($0 as? ChatTemplateError, .raised("bad roles"))
        }
    }

    func testUnsupportedConstructsAreNamed() {
        let cases: [(String, ChatTemplateError)] = [
            ("{% macro m() %}x{% endmacro %}", .unsupported("'{% macro %}' tag", line: 1)),
            ("\n{{ x | wordcount }}", .unsupported("filter 'wordcount'", line: 2)),
            ("{{ x is sameas y }}", .unsupported("test 'sameas'", line: 1)),
            ("{% set x %}y{% endset %}", .unsupported("block '{% set %}...{% endset %}'", line: 1)),
            ("{% for x in y recursive %}{% endfor %}", .unsupported("recursive for loop", line: 1)),
            ("{{ strftime_now('%Y') }}", .unsupported("strftime_now without a date from the caller", line: 1)),
            ("{{ 'a'.title() }}", .unsupported("string method 'title'", line: 1)),
            ("{% break %}", .unsupported("'{% break %}' tag", line: 1)),
            ("{{ 'a b c'.split(' ', 1) }}", .unsupported("2 arguments to method 'split'", line: 1)),
            ("{{ [1]|tojson(sort_keys=true) }}", .unsupported("argument 'sort_keys' of filter 'tojson'", line: 1)),
            ("{{ 'aaa'|replace('a', 'b', 1) }}", .unsupported("3 positional arguments to filter 'replace'", line: 1)),
            ("{{ 'a'|upper(1) }}", .unsupported("1 positional arguments to filter 'upper'", line: 1)),
        ]
        for (source, expected) in cases {
            XCTAssertThrowsError(try render(source), source) { XCTAssertEqual($0 as? ChatTemplateError, expected, source) }
        }
    }

    func testNewlinesNormalizedLikeJinja() throws {
        // Expected strings from jinja2 (keep_trailing_newline=False).
        XCTAssertEqual(try render("{{ 1 }}\n"), "1")
        XCTAssertEqual(try render("a\r\nb\rc\n\n"), "a\nb\nc\n")
        XCTAssertEqual(try render("{% if true %}\r\n  a\r\n{% endif %}\r\n"), "  a\n")
    }

    func testHostileInputFailsCleanly() {
        XCTAssertThrowsError(try render("{{ " + String(repeating: "(", count: 100_000) + " }}")) {
            XCTAssertEqual($0 as? ChatTemplateError, .syntax("nesting deeper than 100 levels", line: 1))
        }
        XCTAssertThrowsError(try render(String(repeating: "{% if 1 %}", count: 1000)))
        XCTAssertThrowsError(try render("{{ " + String(repeating: "not ", count: 100_000) + "1 }}"))
        XCTAssertThrowsError(try render("{{ 'x' * 100000000000 }}"))
        XCTAssertThrowsError(try render("{{ range(10000000000)|length }}"))
        var lexer = Lexer("{% for i in range(10) %}\n{% for j in range(10) %}{% endfor %}{% endfor %}")
        var parser = Parser(tokens: (try? lexer.tokenize()) ?? [])
        var evaluator = Evaluator(context: [:], iterationBudget: 95)
        XCTAssertThrowsError(try evaluator.render(try parser.parseTemplate())) {
            XCTAssertEqual($0 as? ChatTemplateError, .runtime("too many loop iterations", line: 2))
        }
    }

    /// The deepest templates the parser accepts, in every nesting shape, parse and render on a
    /// 512 KiB stack (a secondary thread's size).
    func testMaximumNestingFitsASmallStack() throws {
        let shapes: [(Int) -> String] = [
            { String(repeating: "{% if true %}", count: $0) + "{{ 1 }}" + String(repeating: "{% endif %}", count: $0) },
            { String(repeating: "{% for i in [1] %}", count: $0) + "{{ i }}" + String(repeating: "{% endfor %}", count: $0) },
            { "{{ " + String(repeating: "(", count: $0) + "1" + String(repeating: ")", count: $0) + " }}" },
            { "{{ " + String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0) + "|length }}" },
            { "{{ 1" + String(repeating: " + 1", count: $0) + " }}" },
            { "{{ x" + String(repeating: "|default(1)", count: $0) + " }}" },
            { "{{ " + String(repeating: "not ", count: $0) + "1 }}" },
            { "{{ " + String(repeating: "- ", count: $0) + "1 }}" },
            { "{{ 1" + String(repeating: " if 1 else 0", count: $0) + " }}" },
        ]
        var deepest: [String] = []
        for shape in shapes {
            var count = Parser.maximumDepth
            while count > 0, (try? ChatTemplate(source: shape(count))) == nil { count -= 1 }
            XCTAssertGreaterThan(count, Parser.maximumDepth / 4)
            deepest.append(shape(count))
        }
        let outcome = OSAllocatedResult()
        let sources = deepest
        let thread = Thread {
            outcome.set(sources.map { source in Result { () throws(ChatTemplateError) in try ChatTemplate(source: source)
                .render(messages: [], addGenerationPrompt: false, bosToken: "", eosToken: "") } })
        }
        thread.stackSize = 512 << 10
        thread.start()
        for result in try XCTUnwrap(outcome.wait()) { XCTAssertNoThrow(try result.get()) }
        XCTAssertThrowsError(try render("{{ 1" + String(repeating: " + 1", count: 200) + " }}"))
        XCTAssertThrowsError(try render("{{ x" + String(repeating: ".a", count: 200) + " }}"))
        XCTAssertThrowsError(try render("{% set ns = namespace() %}{% set ns.a = ns %}{{ ns }}{{ ns|tojson }}"))
        XCTAssertThrowsError(try render("{{ -(-9223372036854775807 - 1) }}"))
        XCTAssertThrowsError(try render("{{ (-9223372036854775807 - 1) // -1 }}"))
    }

    func testRuntimeAndSyntaxErrors() {
        XCTAssertThrowsError(try render("{{ 'a' + 1 }}")) {
            XCTAssertEqual($0 as? ChatTemplateError, .runtime("unsupported operand type(s) for +: 'str' and 'int'", line: 1))
        }
        XCTAssertThrowsError(try render("{{ x.y }}")) { XCTAssertEqual($0 as? ChatTemplateError, .runtime("'x' is undefined", line: 1)) }
        XCTAssertThrowsError(try render("{% if x %}")) { XCTAssertEqual($0 as? ChatTemplateError, .syntax("missing '{% elif/else/endif %}'", line: 1)) }
        XCTAssertThrowsError(try render("{% endfor %}")) { XCTAssertEqual($0 as? ChatTemplateError, .syntax("unknown tag 'endfor'", line: 1)) }
        XCTAssertThrowsError(try render("{% frobnicate %}"))
    }
}
