/// Python's `str()` and `repr()` of template values, used when printing and by `~` and `string`.
extension Value {
    /// What `{{ value }}` prints: Python `str()`, with undefined printing as the empty string.
    var text: String {
        switch self {
        case .undefined: ""
        case .string(let value): value
        default: repr
        }
    }

    /// Python `repr()`.
    var repr: String {
        switch self {
        case .undefined: ""
        case .none: "None"
        case .bool(let value): value ? "True" : "False"
        case .int(let value): String(value)
        case .double(let value): Self.pythonFloat(value)
        case .string(let value): Self.quoted(value)
        case .array(let values): "[" + values.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let dict): "{" + dict.pairs.map { Self.quoted($0.key) + ": " + $0.value.repr }.joined(separator: ", ") + "}"
        // Not its attributes: a namespace may hold itself, and printing one is never part of a real prompt.
        case .namespace: "<Namespace>"
        case .function(let name): "<function \(name)>"
        }
    }

    /// Python's float formatting for the common cases (`1.0`, `0.5`, `inf`, `nan`).
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        if value == value.rounded(), abs(value) < 1e16 { return String(Int(value)) + ".0" }
        return String(value)
    }

    /// A Python string literal: single quotes unless the text holds a single quote and no double quote.
    private static func quoted(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case quote: result += "\\" + String(quote)
            default: result.append(character)
            }
        }
        result.append(quote)
        return result
    }
}
