/// One lexical unit of a template: literal text, a tag delimiter, or a token inside a tag.
struct Token: Equatable {
    enum Kind: Equatable {
        /// Literal template text, whitespace control already applied.
        case text(String)
        /// `{{`
        case expressionStart
        /// `}}`
        case expressionEnd
        /// `{%`
        case blockStart
        /// `%}`
        case blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation: `+`, `==`, `(`, `|`, ...
        case op(String)
    }

    var kind: Kind
    /// 1-based source line where the token starts.
    var line: Int
}
