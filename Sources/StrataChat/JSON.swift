/// JSON encoding for the `tojson` filter, matching Hugging Face's override of it:
/// `json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=False)`.
enum JSON {
    static func encode(_ value: Value, indent: Int?, depth: Int = 0) throws(ChatTemplateError) -> String {
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (depth + 1)) }
        let closing = indent.map { "\n" + String(repeating: " ", count: $0 * depth) } ?? ""
        let separator = indent == nil ? ", " : ","
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            return Value.pythonFloat(number)
        case .string(let text): return quote(text)
        case .array(let values):
            if values.isEmpty { return "[]" }
            var parts: [String] = []
            for element in values { parts.append((newline ?? "") + (try encode(element, indent: indent, depth: depth + 1))) }
            return "[" + parts.joined(separator: separator) + closing + "]"
        case .dict(let dict):
            if dict.count == 0 { return "{}" }
            var parts: [String] = []
            for (key, element) in dict.pairs {
                parts.append((newline ?? "") + quote(key) + ": " + (try encode(element, indent: indent, depth: depth + 1)))
            }
            return "{" + parts.joined(separator: separator) + closing + "}"
        case .namespace, .function, .undefined:
            throw .runtime("object of type \(value.typeName) is not JSON serializable", line: 0)
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
