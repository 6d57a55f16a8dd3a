/// The Jinja filters (`value | name(arguments)`) this interpreter implements.
///
/// Like Jinja, an undefined value acts as an empty string or empty sequence in filters,
/// except where Python would fail (`tojson`, `abs`, `int`).
enum Filters {
    /// Every supported filter; the parser rejects any other name as unsupported.
    static let names: Set<String> = [
        "trim", "length", "count", "tojson", "upper", "lower", "first", "last", "default", "d", "join",
        "replace", "items", "list", "string", "select", "reject", "selectattr", "rejectattr", "map",
        "reverse", "safe", "capitalize", "int", "abs",
    ]

    /// Most positional arguments and the keyword arguments each filter accepts; anything more is
    /// rejected rather than ignored, so an argument this interpreter does not honour cannot change a prompt silently.
    private static let signatures: [String: (positional: Int, keywords: Set<String>)] = [
        "trim": (1, []), "default": (2, ["boolean"]), "d": (2, ["boolean"]), "join": (2, ["attribute"]),
        "replace": (2, []), "tojson": (1, ["indent"]), "select": (.max, []), "reject": (.max, []),
        "selectattr": (.max, []), "rejectattr": (.max, []), "map": (0, ["attribute", "default"]),
    ]

    static func apply(
        _ name: String, to value: Value, _ arguments: [Value], _ keyword: [String: Value]
    ) throws(ChatTemplateError) -> Value {
        let signature = signatures[name] ?? (0, [])
        if arguments.count > signature.positional {
            throw .unsupported("\(arguments.count) positional arguments to filter '\(name)'", line: 0)
        }
        if let unknown = keyword.keys.sorted().first(where: { !signature.keywords.contains($0) }) {
            throw .unsupported("argument '\(unknown)' of filter '\(name)'", line: 0)
        }
        switch name {
        case "trim":
            let chars: String? = if case .string(let chars)? = arguments.first { chars } else { nil }
            return .string(Text.strip(value.text, chars, leading: true, trailing: true))
        case "upper": return .string(value.text.uppercased())
        case "lower": return .string(value.text.lowercased())
        case "capitalize":
            let scalars = Array(value.text.unicodeScalars)
            guard let first = scalars.first else { return .string("") }
            return .string(String(first).uppercased() + Text.string(scalars.dropFirst()).lowercased())
        case "string": return .string(value.text)
        case "safe": return value
        case "length", "count":
            switch value {
            case .undefined: return .int(0)
            case .string(let text): return .int(text.unicodeScalars.count)
            case .array(let values): return .int(values.count)
            case .dict(let dict): return .int(dict.count)
            default: throw .runtime("object of type '\(value.typeName)' has no len()", line: 0)
            }
        case "default", "d":
            let fallback = arguments.first ?? .string("")
            let boolean = (arguments.count > 1 ? arguments[1] : keyword["boolean"])?.isTruthy ?? false
            return value.isUndefined || (boolean && !value.isTruthy) ? fallback : value
        case "first", "last":
            let items = try Evaluator.iterate(value)
            return (name == "first" ? items.first : items.last) ?? .undefined(name)
        case "reverse":
            if case .string(let text) = value { return .string(Text.string(text.unicodeScalars.reversed())) }
            if case .dict = value { throw .unsupported("reverse filter on a dict", line: 0) }
            return .array(try Evaluator.iterate(value).reversed())
        case "list": return .array(try Evaluator.iterate(value))
        case "items":
            if value.isUndefined { return .array([]) }
            guard case .dict(let dict) = value else { throw .runtime("items filter needs a dict, got \(value.typeName)", line: 0) }
            return .array(dict.pairs.map { .array([.string($0.key), $0.value]) })
        case "join":
            let separator = arguments.first?.text ?? ""
            var items = try Evaluator.iterate(value)
            if let attribute = arguments.count > 1 ? arguments[1] : keyword["attribute"] {
                var mapped: [Value] = []
                for item in items { mapped.append(try Operators.item(item, attribute)) }
                items = mapped
            }
            return .string(items.map(\.text).joined(separator: separator))
        case "replace":
            guard arguments.count >= 2 else { throw .runtime("replace filter needs 2 arguments", line: 0) }
            return .string(Text.replace(value.text, arguments[0].text, arguments[1].text))
        case "tojson":
            let indent = (arguments.first ?? keyword["indent"])?.integer
            return .string(try JSON.encode(value, indent: indent))
        case "select", "reject":
            return try selectItems(value, attribute: nil, arguments, keep: name == "select")
        case "selectattr", "rejectattr":
            guard case .string(let attribute)? = arguments.first else {
                throw .runtime("\(name) needs an attribute name", line: 0)
            }
            return try selectItems(value, attribute: attribute, Array(arguments.dropFirst()), keep: name == "selectattr")
        case "map":
            guard case .string(let attribute)? = keyword["attribute"] else {
                throw .unsupported("map filter without attribute=", line: 0)
            }
            var mapped: [Value] = []
            for item in try Evaluator.iterate(value) {
                let result = try Operators.attribute(item, attribute)
                mapped.append(result.isUndefined ? keyword["default"] ?? result : result)
            }
            return .array(mapped)
        case "int":
            switch value {
            case .undefined: throw Operators.undefinedError(value)
            case .int: return value
            case .double(let number): return .int(Int(exactly: number.rounded(.towardZero)) ?? 0)
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .string(let text): return .int(Int(Text.strip(text, nil, leading: true, trailing: true)) ?? 0)
            default: return .int(0)
            }
        case "abs":
            if case .bool(let flag) = value { return .int(flag ? 1 : 0) }
            if case .int(let number) = value, number != .min { return .int(abs(number)) }
            if case .double(let number) = value { return .double(abs(number)) }
            throw .runtime("bad operand type for abs(): '\(value.typeName)'", line: 0)
        default:
            throw .unsupported("filter '\(name)'", line: 0)
        }
    }

    /// `select`/`reject` (test on the item) and `selectattr`/`rejectattr` (test on an attribute of it).
    private static func selectItems(
        _ value: Value, attribute: String?, _ arguments: [Value], keep: Bool
    ) throws(ChatTemplateError) -> Value {
        var testName = "truthy"
        if let first = arguments.first {
            guard case .string(let name) = first, TestPredicates.names.contains(name) else {
                throw .unsupported("test \(first.repr) in select/reject filter", line: 0)
            }
            testName = name
        }
        var kept: [Value] = []
        for item in try Evaluator.iterate(value) {
            let subject = try attribute.map { (name: String) throws(ChatTemplateError) in try Operators.attribute(item, name) } ?? item
            let passes = testName == "truthy"
                ? subject.isTruthy : try TestPredicates.apply(testName, to: subject, Array(arguments.dropFirst()))
            if passes == keep { kept.append(item) }
        }
        return .array(kept)
    }
}
