/// The Jinja tests (`value is name(arguments)`) this interpreter implements.
enum TestPredicates {
    /// Every supported test; the parser rejects any other name as unsupported.
    static let names: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false",
        "mapping", "iterable", "sequence", "equalto", "eq", "==", "ne", "!=", "even", "odd", "in",
        "lower", "upper",
    ]

    static func apply(_ name: String, to value: Value, _ arguments: [Value]) throws(ChatTemplateError) -> Bool {
        func argument() throws(ChatTemplateError) -> Value {
            guard let first = arguments.first else { throw .runtime("test '\(name)' needs an argument", line: 0) }
            return first
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "number": return value.numeric != nil
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable", "sequence":
            switch value {
            case .string, .array, .dict: return true
            case .undefined: return true
            default: return false
            }
        case "equalto", "eq", "==": return value == (try argument())
        case "ne", "!=": return value != (try argument())
        case "even", "odd":
            guard case .int(let number) = value else { throw .runtime("'\(name)' test needs an integer", line: 0) }
            return (number % 2 == 0) == (name == "even")
        case "in": return try Operators.contains(try argument(), value)
        case "lower": return value.text == value.text.lowercased()
        case "upper": return value.text == value.text.uppercased()
        default: throw .unsupported("test '\(name)'", line: 0)
        }
    }
}
