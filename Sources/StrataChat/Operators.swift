/// Python semantics of the operators, attribute access, subscripts and slices.
enum Operators {
    static func undefinedError(_ value: Value) -> ChatTemplateError {
        if case .undefined(let name) = value { return .runtime("'\(name)' is undefined", line: 0) }
        return .runtime("unexpected \(value.typeName)", line: 0)
    }

    /// `object.name`: a dict key or namespace attribute; undefined when missing.
    static func attribute(_ object: Value, _ name: String) throws(ChatTemplateError) -> Value {
        switch object {
        case .undefined: throw undefinedError(object)
        case .dict(let dict): return dict[name] ?? .undefined(name)
        case .namespace(let namespace): return namespace.attributes[name] ?? .undefined(name)
        default: return .undefined(name)
        }
    }

    /// `object[key]`: list/string index (negative from the end) or dict key; undefined when missing.
    static func item(_ object: Value, _ key: Value) throws(ChatTemplateError) -> Value {
        switch (object, key) {
        case (.undefined, _): throw undefinedError(object)
        case (.array(let values), .int(let position)):
            let resolved = position < 0 ? values.count + position : position
            return values.indices.contains(resolved) ? values[resolved] : .undefined("[\(position)]")
        case (.string(let text), .int(let position)):
            let scalars = Array(text.unicodeScalars)
            let resolved = position < 0 ? scalars.count + position : position
            return scalars.indices.contains(resolved) ? .string(String(scalars[resolved])) : .undefined("[\(position)]")
        case (.dict(let dict), .string(let name)): return dict[name] ?? .undefined(name)
        case (.namespace(let namespace), .string(let name)): return namespace.attributes[name] ?? .undefined(name)
        default: return .undefined("[\(key.repr)]")
        }
    }

    /// `object[start:stop:step]` on lists and strings.
    static func slice(_ object: Value, start: Value?, stop: Value?, step: Value?) throws(ChatTemplateError) -> Value {
        func bound(_ value: Value?) throws(ChatTemplateError) -> Int? {
            switch value {
            case nil, .none?: return nil
            case .int(let number)?: return number
            default: throw .runtime("slice indices must be integers or None", line: 0)
            }
        }
        let stride = try bound(step) ?? 1
        guard stride != 0 else { throw .runtime("slice step cannot be zero", line: 0) }
        let first = try bound(start), last = try bound(stop)
        func indices(count: Int) -> [Int] {
            func clamp(_ raw: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
                guard let raw else { return fallback }
                let adjusted = raw < 0 ? raw + count : raw
                return min(max(adjusted, low), high)
            }
            if stride > 0 {
                let from = clamp(first, 0, low: 0, high: count), to = clamp(last, count, low: 0, high: count)
                return Array(Swift.stride(from: from, to: to, by: stride))
            }
            let from = clamp(first, count - 1, low: -1, high: count - 1), to = clamp(last, -1, low: -1, high: count - 1)
            return Array(Swift.stride(from: from, to: to, by: stride))
        }
        switch object {
        case .array(let values):
            return .array(indices(count: values.count).map { values[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            return .string(String(String.UnicodeScalarView(indices(count: scalars.count).map { scalars[$0] })))
        case .undefined: throw undefinedError(object)
        default: throw .runtime("'\(object.typeName)' object is not subscriptable", line: 0)
        }
    }

    static func sign(_ value: Value, negate: Bool) throws(ChatTemplateError) -> Value {
        switch value {
        case .int(let number):
            guard negate else { return value }
            let (negated, overflow) = (0).subtractingReportingOverflow(number)
            if overflow { throw .runtime("integer overflow", line: 0) }
            return .int(negated)
        case .double(let number): return .double(negate ? -number : number)
        case .bool(let flag): return .int(negate ? (flag ? -1 : 0) : (flag ? 1 : 0))
        default: throw .runtime("bad operand type for unary -: '\(value.typeName)'", line: 0)
        }
    }

    static func binary(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value) throws(ChatTemplateError) -> Value {
        switch op {
        case .concat: return .string(lhs.text + rhs.text)
        case .equal: return .bool(lhs == rhs)
        case .notEqual: return .bool(lhs != rhs)
        case .contains: return .bool(try contains(rhs, lhs))
        case .notContains: return .bool(!(try contains(rhs, lhs)))
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, lhs, rhs))
        default: break
        }
        if lhs.isUndefined { throw undefinedError(lhs) }
        if rhs.isUndefined { throw undefinedError(rhs) }
        switch (op, lhs, rhs) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .array(let a), .array(let b)): return .array(a + b)
        case (.multiply, .int, .string), (.multiply, .int, .array), (.multiply, .bool, .string), (.multiply, .bool, .array):
            return try binary(.multiply, rhs, lhs)
        case (.multiply, .string(let a), .bool(let flag)): return .string(flag ? a : "")
        case (.multiply, .array(let a), .bool(let flag)): return .array(flag ? a : [])
        case (.multiply, .string(let a), .int(let n)):
            guard n <= 0 || a.utf8.count <= Evaluator.maximumOutputBytes / n else { throw .runtime("string repetition too long", line: 0) }
            return .string(String(repeating: a, count: max(n, 0)))
        case (.multiply, .array(let a), .int(let n)):
            guard n <= 0 || a.count <= Evaluator.maximumSequence / n else { throw .runtime("list repetition too long", line: 0) }
            return .array(Array(repeatElement(a, count: max(n, 0)).joined()))
        default: break
        }
        guard let a = lhs.numeric, let b = rhs.numeric else {
            throw .runtime("unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'", line: 0)
        }
        if op != .divide, let x = lhs.integer, let y = rhs.integer {
            return try integer(op, x, y)
        }
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .power: return .double(Foundation_pow(a, b))
        case .divide, .floorDivide, .modulo:
            guard b != 0 else { throw .runtime("division by zero", line: 0) }
            if op == .divide { return .double(a / b) }
            let quotient = (a / b).rounded(.down)
            return op == .floorDivide ? .double(quotient) : .double(a - quotient * b)
        default: throw .runtime("unsupported operator \(op.rawValue)", line: 0)
        }
    }

    private static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int) throws(ChatTemplateError) -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .floorDivide, .modulo:
            guard b != 0 else { throw .runtime("integer division or modulo by zero", line: 0) }
            guard a != .min || b != -1 else { throw .runtime("integer overflow", line: 0) }
            var quotient = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { quotient -= 1 }
            result = op == .floorDivide ? (quotient, false) : (a - quotient * b, false)
        case .power:
            guard b >= 0 else { return .double(Foundation_pow(Double(a), Double(b))) }
            var value = 1, overflow = false
            for _ in 0..<min(b, 64) where !overflow { (value, overflow) = value.multipliedReportingOverflow(by: a) }
            result = (value, overflow)
        default: throw .runtime("unsupported operator \(op.rawValue)", line: 0)
        }
        guard !result.overflow else { throw .runtime("integer overflow", line: 0) }
        return .int(result.partialValue)
    }

    /// `x ** y` for floats without importing Foundation.
    private static func Foundation_pow(_ a: Double, _ b: Double) -> Double {
        if b == b.rounded(), abs(b) <= 64 {
            var result = 1.0
            for _ in 0..<Int(abs(b)) { result *= a }
            return b < 0 ? 1 / result : result
        }
        return .nan
    }

    private static func compare(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value) throws(ChatTemplateError) -> Bool {
        if let a = lhs.numeric, let b = rhs.numeric {
            switch op {
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            default: return a >= b
            }
        }
        if case .string(let a) = lhs, case .string(let b) = rhs {
            let x = Array(a.unicodeScalars).map(\.value), y = Array(b.unicodeScalars).map(\.value)
            switch op {
            case .less: return x.lexicographicallyPrecedes(y)
            case .lessEqual: return !y.lexicographicallyPrecedes(x)
            case .greater: return y.lexicographicallyPrecedes(x)
            default: return !x.lexicographicallyPrecedes(y)
            }
        }
        throw .runtime("'\(op.rawValue)' not supported between '\(lhs.typeName)' and '\(rhs.typeName)'", line: 0)
    }

    /// Python `item in container`.
    static func contains(_ container: Value, _ item: Value) throws(ChatTemplateError) -> Bool {
        switch (container, item) {
        case (.string(let text), .string(let needle)): return Text.find(needle, in: text) != nil
        case (.array(let values), _): return values.contains(item)
        case (.dict(let dict), .string(let key)): return dict[key] != nil
        case (.dict, _): return false
        case (.undefined, _): throw undefinedError(container)
        default: throw .runtime("argument of type '\(container.typeName)' is not iterable", line: 0)
        }
    }
}
