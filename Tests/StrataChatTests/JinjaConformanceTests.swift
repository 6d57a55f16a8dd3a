// Generated from Python jinja2 3.1.6 (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
// raise_exception and Hugging Face's tojson as transformers installs them); bos "<B>", eos "<E>".
import XCTest

@testable import StrataChat

/// Small templates covering whitespace control, operators, filters and printing, rendered by jinja2.
final class JinjaConformanceTests: XCTestCase {
    private static let messages: [ChatMessage] = [.init(role: .system, content: "  S \n"), .init(role: .user, content: "  héllo 🌍\n")]

    private static let cases: [(source: String, expected: String)] = [
        ("x\n  {% if true %}\n  y\n  {% endif %}\nz", "x\n  y\nz"),
        ("{% for i in [1,2] %}\n  {{ i }}\n{% endfor %}\n", "  1\n  2\n"),
        ("a {%- if true -%} b {%+ if true %}c{% endif %}\n{% endif %}", "ab c"),
        ("  {# c #}\nq\n{#- c2 #}  w", "q  w"),
        ("{% if true %}   \n{% endif %}", "   \n"),
        ("{{ 'a' }}\n{% set x = 1 %}\n{{ x }}  \n  {%- if x %} y{% endif %}", "a\n1 y"),
        ("\t{% if true %}\tz{% endif %}\n", "\tz"),
        ("{% for m in messages %}{{ m.content|length }}{{ loop.revindex }}{% endfor %}", "52101"),
        ("{{ messages[0] }}", "{'role': 'system', 'content': '  S \\n'}"),
        ("{{ messages|tojson }}", "[{\"role\": \"system\", \"content\": \"  S \\n\"}, {\"role\": \"user\", \"content\": \"  héllo 🌍\\n\"}]"),
        ("{{ messages|tojson(indent=2) }}", "[\n  {\n    \"role\": \"system\",\n    \"content\": \"  S \\n\"\n  },\n  {\n    \"role\": \"user\",\n    \"content\": \"  héllo 🌍\\n\"\n  }\n]"),
        ("{{ [1.5, 2.0, 1e20, -0.0] }}", "[1.5, 2.0, 1e+20, -0.0]"),
        ("{{ 10 / 4 }} {{ 10 / 5 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }}", "2.5 2.0 0.5 3.0 0.5"),
        ("{{ 'ab' * 3 }}{{ [1] * 2 }}", "ababab[1, 1]"),
        ("{{ 'a\\'b' }}{{ [\"it's\"] }}{{ ['a\"b'] }}", "a'b[\"it's\"]['a\"b']"),
        ("{{ messages[0].content.split() }}", "['S']"),
        ("{{ 'A b'.split(' ') }}", "['A', 'b']"),
        ("{{ '%s' }}", "%s"),
        ("{{ 1 < 2 < 3 }}", "True"),
        ("{{ 'b' > 'a' }}{{ [] == [] }}{{ 1 == 1.0 }}{{ true == 1 }}", "TrueTrueTrueTrue"),
        ("{% set ns = namespace(a=1, b='x') %}{{ ns.a }}{{ ns.b }}", "1x"),
        ("{{ x | default('u', true) }}{{ '' | default('e', true) }}{{ none | default('n') }}", "ueNone"),
        ("{{ [1.5, 2.0, 1e20, -0.0, 2.5E-3] }}", "[1.5, 2.0, 1e+20, -0.0, 0.0025]"),
        ("{{ 3 > 2 > 1 }}{{ 1 < 3 > 2 }}{{ 1 == 1 != 2 }}", "TrueTrueTrue"),
        ("{{ 'x' not in 'abc' }}{{ 1 in [1,2] }}{{ 'role' in messages[0] }}", "TrueTrueTrue"),
        ("{% for a in messages %}{% for b in messages %}{{ loop.index }}{{ a.role[0] }}{% endfor %}{{ loop.index }}|{% endfor %}", "1s2s1|1u2u2|"),
        ("{{ messages[-1]['content']|trim|upper }}", "HÉLLO 🌍"),
        ("{{ (messages|last).role }}{{ (messages|first)['role'] }}", "usersystem"),
        ("{% if messages|length > 1 and messages[1].role == 'user' %}Y{% elif false %}N{% else %}E{% endif %}", "Y"),
        ("{{ 'a,b,,c'.split(',') }}{{ 'xxhixx'.strip('x') }}{{ 'Hello'.replace('l', 'L') }}", "['a', 'b', '', 'c']hiHeLLo"),
        ("{{ 'abc'.upper() }}{{ 'ABC'.lower() }}", "ABCabc"),
        ("{{ range(3)|list }}{{ range(1, 7, 2)|join('-') }}", "[0, 1, 2]1-3-5"),
        ("{{ -1 }}{{ - 2 + 3 }}{{ -(2 + 3) }}{{ 10 - -1 }}", "-11-511"),
        ("{{ 'yes' if 0 else 'no' }}{{ 'a' if '' }}|", "no|"),
        ("{% set a = [1, 2] + [3] %}{{ a }}{{ a|length }}", "[1, 2, 3]3"),
        ("{{ messages|map(attribute='role')|join(',') }}", "system,user"),
        ("{{ [0, 1, '', 'x', none]|select|list }}{{ [1,2,3]|select('odd')|list }}", "[1, 'x'][1, 3]"),
        ("{{ 1.5|int }}{{ '42'|int + 1 }}{{ -3|abs }}", "1433"),
        ("{{ 'hello world'|capitalize }}", "Hello world"),
        ("{{ 'abc'|reverse }}{{ [1,2]|reverse|list }}", "cba[2, 1]"),
        ("{{ messages[0].content|trim('\\n ') }}|", "S|"),
        ("{{ '\\u00e9\\x41\\t\\\\' }}", "éA\t\\"),
        ("{% for x in 'ab' %}{{ x }}{% endfor %}{% for k in {'p': 1} %}{{ k }}{% endfor %}", "abp"),
        ("{#- comment\nover lines -#}\n  X\n  {%- for i in [1] -%}\n   {{ i }}\n  {% endfor %}\nY", "X1\nY"),
        ("{{ 7 % 3 }}{{ -7 % -3 }}{{ 7 % -3 }}{{ 2 ** 10 }}{{ 1 / 3 }}{{ 0.1 + 0.2 }}", "1-1-210240.33333333333333330.30000000000000004"),
    ]

    func testSnippetsRenderLikeJinja2() throws {
        for (source, expected) in Self.cases {
            let rendered = try ChatTemplate(source: source)
                .render(messages: Self.messages, addGenerationPrompt: true, bosToken: "<B>", eosToken: "<E>")
            XCTAssertEqual(rendered, expected, source)
        }
    }
}
