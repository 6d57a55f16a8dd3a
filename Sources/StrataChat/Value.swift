/// A runtime value in the template language, modelled on the Python values Jinja works with.
enum Value {
    /// A missing variable, attribute or item; the string names it for error messages.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case dict(Dictionary)
    /// A mutable `namespace()` object, shared by reference like in Jinja.
    case namespace(Namespace)
    /// A global function such as `raise_exception` or `namespace`.
    case function(String)

    /// An insertion-ordered dictionary with string keys.
    struct Dictionary {
        private(set) var keys: [String] = []
        private var storage: [String: Value] = [:]

        init() {}

        init(_ pairs: [(String, Value)]) {
            for (key, value) in pairs { self[key] = value }
        }

        subscript(key: String) -> Value? {
            get { storage[key] }
            set {
                if storage[key] == nil, newValue != nil { keys.append(key) }
                if newValue == nil { keys.removeAll { $0 == key } }
                storage[key] = newValue
            }
        }

        var pairs: [(key: String, value: Value)] {
            keys.compactMap { key in storage[key].map { (key, $0) } }
        }

        var count: Int { keys.count }
    }

    /// The object `namespace(...)` returns: attributes assignable with `{% set ns.x = ... %}`.
    final class Namespace {
        var attributes: Dictionary
        init(_ attributes: Dictionary) { self.attributes = attributes }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let values): !values.isEmpty
        case .dict(let dict): dict.count > 0
        case .namespace, .function: true
        }
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: "undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .dict: "dict"
        case .namespace: "Namespace"
        case .function: "function"
        }
    }

    /// An `int` (or `bool`, which Python treats as one).
    var integer: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// A number for arithmetic and ordering; `bool` counts as an integer, as in Python.
    var numeric: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }
}

extension Value: Equatable {
    /// Python `==`: numbers compare by value across `int`/`float`/`bool`, containers structurally.
    static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && a.pairs.allSatisfy { b[$0.key] == $0.value }
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.function(let a), .function(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        default:
            if let a = lhs.numeric, let b = rhs.numeric { return a == b }
            return false
        }
    }
}
