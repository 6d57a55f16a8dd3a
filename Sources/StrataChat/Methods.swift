/// The Python methods templates call on strings and dicts (`s.strip()`, `d.items()`, ...).
enum Methods {
    /// Calls `object.name(arguments)`; `nil` when `object` has no such method (then it is looked up as an attribute).
    static func call(_ name: String, on object: Value, _ arguments: [Value]) throws(ChatTemplateError) -> Value? {
        switch object {
        case .undefined: throw Operators.undefinedError(object)
        case .string(let text): return try stringMethod(name, text, arguments)
        case .dict(let dict): return try dictMethod(name, dict, arguments)
        default: return nil
        }
    }

    private static func optionalString(_ arguments: [Value], _ position: Int, _ method: String) throws(ChatTemplateError) -> String? {
        guard position < arguments.count else { return nil }
        switch arguments[position] {
        case .none: return nil
        case .string(let text): return text
        default: throw .runtime("\(method)() argument must be str or None, not \(arguments[position].typeName)", line: 0)
        }
    }

    private static func requiredString(_ arguments: [Value], _ position: Int, _ method: String) throws(ChatTemplateError) -> String {
        guard let text = try optionalString(arguments, position, method) else {
            throw .runtime("\(method)() requires a string argument", line: 0)
        }
        return text
    }

    /// Most arguments each method accepts; more (such as `split`'s `maxsplit`) is rejected, not ignored.
    private static let arity: [String: Int] = [
        "strip": 1, "lstrip": 1, "rstrip": 1, "split": 1, "startswith": 1, "endswith": 1, "upper": 0, "lower": 0,
        "replace": 2, "items": 0, "keys": 0, "values": 0, "get": 2,
    ]

    private static func checkArity(_ name: String, _ arguments: [Value]) throws(ChatTemplateError) {
        if let limit = arity[name], arguments.count > limit {
            throw .unsupported("\(arguments.count) arguments to method '\(name)'", line: 0)
        }
    }

    private static func stringMethod(_ name: String, _ text: String, _ arguments: [Value]) throws(ChatTemplateError) -> Value? {
        try checkArity(name, arguments)
        switch name {
        case "strip": return .string(Text.strip(text, try optionalString(arguments, 0, name), leading: true, trailing: true))
        case "lstrip": return .string(Text.strip(text, try optionalString(arguments, 0, name), leading: true, trailing: false))
        case "rstrip": return .string(Text.strip(text, try optionalString(arguments, 0, name), leading: false, trailing: true))
        case "split": return .array(Text.split(text, try optionalString(arguments, 0, name)).map { .string($0) })
        case "startswith": return .bool(Text.hasPrefix(text, try requiredString(arguments, 0, name)))
        case "endswith": return .bool(Text.hasSuffix(text, try requiredString(arguments, 0, name)))
        case "upper": return .string(text.uppercased())
        case "lower": return .string(text.lowercased())
        case "replace":
            return .string(Text.replace(text, try requiredString(arguments, 0, name), try requiredString(arguments, 1, name)))
        default: throw .unsupported("string method '\(name)'", line: 0)
        }
    }

    private static func dictMethod(_ name: String, _ dict: Value.Dictionary, _ arguments: [Value]) throws(ChatTemplateError) -> Value? {
        try checkArity(name, arguments)
        switch name {
        case "items": return .array(dict.pairs.map { .array([.string($0.key), $0.value]) })
        case "keys": return .array(dict.keys.map { .string($0) })
        case "values": return .array(dict.pairs.map(\.value))
        case "get":
            guard case .string(let key)? = arguments.first else { return arguments.count > 1 ? arguments[1] : Value.none }
            return dict[key] ?? (arguments.count > 1 ? arguments[1] : Value.none)
        default: return nil
        }
    }
}
