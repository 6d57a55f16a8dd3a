// Generated: random mixes of text and tags with `-`/`+` markers, rendered by Python jinja2 3.1.6
// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks).
import XCTest

@testable import StrataChat

/// Whitespace control (`-`, `+`, trim_blocks, lstrip_blocks, newline normalization) matches jinja2.
final class WhitespaceControlTests: XCTestCase {
    private static let cases: [(source: String, expected: String)] = [
        ("{%+ set q = 1 %} a{% set q = 1 %} b  ", " a b  "),
        ("\n\n b {{ 'x' }}", "\n\n b x"),
        ("{{- 'x' }}{% if true +%}\r\n\t\t{# c #}{%- endif %}\n{% set q = 1 %}\r\n\t b ", "x\n\t b "),
        ("{%- if true +%}\r\n{% if true -%}{% endif %}{%+ endif %}", "\n"),
        ("{{ 'x' -}}a{% set q = 1 %}\t{{ 'x' }} b {# c -#}{# c -#}", "xa\tx b "),
        ("{{ 'x' }}\n\r\n{{ 'x' -}}{%+ set q = 1 +%}\t\n ", "x\n\nx\t\n "),
        ("a{% if true +%}\n\n{% if true %}\n{# c #} b {%- if true +%}a {%- endif +%}{% endif %}{%+ endif -%}", "a\n\n ba"),
        ("{% if true %}{% if true +%}{%+ if true +%}{%+ if true +%}\r\n  \n  {% if true %}\n\n{{ 'x' }}\n {# c -#}{% endif +%}{% endif %}{%- endif %}{% endif %}{%+ endif +%}", "\n  \n\nx\n"),
        ("\t{%- if true %}{%- endif %}", ""),
        ("{%+ if true %}{{ 'x' }}{% endif +%}\n\ta{#- c #}\r\n{{- 'x' }}\t", "x\n\tax\t"),
        ("  \n  a{#- c #}{{ 'x' -}}{%+ set q = 1 -%}\n\n{{- 'x' -}}", "  \n  axx"),
        ("{{- 'x' }}\r\n{# c #}", "x\n"),
        (" \n\n{# c #}{#- c #}{{ 'x' }} b ", " \n\nx b "),
        ("\r\n{{ 'x' -}}", "\nx"),
        ("\n{{- 'x' }}\n\n{{ 'x' -}}{{ 'x' }}\t{%- if true +%}{{ 'x' -}}{%+ endif +%}{{ 'x' }} ", "x\n\nxxxx "),
        ("{%- set q = 1 -%}{{ 'x' }}\n\n\n\n{{ 'x' }}{{ 'x' }} b {# c #}{%+ set q = 1 +%}\n\n", "x\n\n\n\nxx b \n"),
        ("{{ 'x' }}\n\n{%- set q = 1 %}  \n  {# c #}{{ 'x' }}a{# c -#}{{ 'x' }}aa{%+ set q = 1 %}", "x  \nxaxaa"),
        ("{# c #}", ""),
        ("\r\n {# c #}{%+ if true %}{% endif +%}{% if true -%}{% if true +%}\n\n\t{{ 'x' }} {% endif %}{%- endif %}", "\n\n\n\tx "),
        ("\n\n\t{{ 'x' }}\n\n{%- set q = 1 +%}{% if true +%}\n  \n  {{ 'x' -}}a b   \n  {% endif %}", "\n\n\tx\n  \n  xa b   \n"),
        ("{% set q = 1 +%}\n\n b {% if true -%}{%+ if true -%}{% endif %}{%- endif -%}", "\n\n b "),
        ("\n\n", "\n"),
        ("{{- 'x' }}{%+ if true +%}\n\n{%+ endif -%}", "x\n\n"),
        (" ", " "),
        ("\r\n", ""),
        ("a{{ 'x' }}", "ax"),
        ("\n\n  \n   b {% set q = 1 +%}{{ 'x' }}{% set q = 1 +%}\n{%+ if true %}{%+ endif %}  \n  a", "\n\n  \n   b x\n  \n  a"),
        ("a\n{# c -#}", "a\n"),
        ("{% if true %}{%- endif +%}{{ 'x' }}\n\n \n{%+ set q = 1 +%}{{ 'x' }}", "x\n\n \nx"),
        ("{{- 'x' }}  b \n {%+ set q = 1 -%}\t\t\t{%- if true -%}{# c #}{% endif -%}", "x  b \n "),
        ("\n\n{% set q = 1 +%}  \n  {{ 'x' -}}{# c -#}{%- set q = 1 %}{% if true +%}\n\n{% endif +%}", "\n\n  \n  x\n\n"),
        ("\n{{- 'x' }}{% set q = 1 %}{{ 'x' }}{% set q = 1 -%}{%- if true +%}{#- c #}{% endif -%}", "xx"),
        ("{{- 'x' }}a{% if true %}\t\t  {% endif +%}\n\n b ", "xa\t\t  \n\n b "),
        ("\n\n\n\n{# c #}{% if true -%}  \n  {# c -#}\n\n{%- if true -%}\n\n  \n  \t b {% endif %}{% endif %}", "\n\n\n\nb "),
        ("{# c #}{% set q = 1 -%}{# c -#}{{ 'x' -}}{% if true +%}{#- c #}a{%- endif +%}", "xa"),
        ("{{- 'x' }} ", "x "),
        ("\t{# c #}  \n  {%- set q = 1 %}\n\n b  b  ", "\n b  b  "),
        (" b ", " b "),
        ("{%+ if true %}{% if true %} {{ 'x' }}{% endif %}{%- endif %}", " x"),
        (" b   \n   b {{ 'x' }}{%- set q = 1 +%}  ", " b   \n   b x  "),
        (" b {% set q = 1 +%}{{ 'x' }}a{% if true %}a{% if true %}{% endif -%} b {% endif -%}", " b xaab "),
        ("\n\n", "\n"),
        ("{{ 'x' }}{% if true %}\n\n\n{%- endif %}", "x"),
        ("{%- if true %}{# c #}  \n   {%+ if true -%}{{- 'x' -}}{% if true %}{{ 'x' }}{{ 'x' }}\r\n{%- endif +%}{% endif -%}{%- endif %}", "  \n   xxx"),
        ("\n\n b {{- 'x' -}}{{ 'x' -}}{#- c #}{{ 'x' -}}{% set q = 1 -%}  \n  \n\n", "\n\n bxxx"),
        ("{% set q = 1 -%}{# c #}{% set q = 1 %}\t\n\n{%+ set q = 1 %}\n", "\t\n\n"),
    ]

    func testRandomTagMixesRenderLikeJinja2() throws {
        for (source, expected) in Self.cases {
            let rendered = try ChatTemplate(source: source).render(messages: [], addGenerationPrompt: true, bosToken: "", eosToken: "")
            XCTAssertEqual(rendered, expected, source.debugDescription)
        }
    }
}
