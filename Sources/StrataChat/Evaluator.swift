/// Renders parsed template nodes against a context of variables.
///
/// Scoping follows Jinja: each `for` iteration gets its own scope, so a `{% set %}` inside a
/// loop is invisible after it (templates use `namespace()` to carry state out of loops).
struct Evaluator {
    private var scopes: [[String: Value]]
    private var output = ""
    private let date: TemplateDate?
    /// Loop iterations left before rendering fails, so hostile templates cannot spin forever.
    private var iterationBudget: Int
    /// Longest list `range()` or `*` may build.
    static let maximumSequence = 1_000_000
    /// Longest output, in UTF-8 bytes, before rendering fails.
    static let maximumOutputBytes = 16 << 20

    /// Global functions available to every template.
    static let globals: Set<String> = ["raise_exception", "namespace", "range", "strftime_now"]

    /// - Parameters:
    ///   - date: What `strftime_now` formats; without it, calling `strftime_now` is an error.
    ///   - iterationBudget: Total loop iterations allowed in one render.
    init(context: [String: Value], date: TemplateDate? = nil, iterationBudget: Int = 1_000_000) {
        scopes = [context]
        self.date = date
        self.iterationBudget = iterationBudget
    }

    /// Renders `nodes` and returns the produced text.
    mutating func render(_ nodes: [Node]) throws(ChatTemplateError) -> String {
        output = ""
        try execute(nodes)
        return output
    }

    private mutating func execute(_ nodes: [Node]) throws(ChatTemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression, let line):
                output += try located(line) { () throws(ChatTemplateError) in try evaluate(expression).text }
                if output.utf8.count > Self.maximumOutputBytes {
                    throw .runtime("output longer than \(Self.maximumOutputBytes) bytes", line: line)
                }
            case .ifChain(let branches, let otherwise, let line):
                var taken: [Node] = otherwise
                for branch in branches {
                    let condition = try located(line) { () throws(ChatTemplateError) in try evaluate(branch.condition) }
                    if condition.isTruthy {
                        taken = branch.body
                        break
                    }
                }
                try execute(taken)
            case .forLoop(let targets, let iterable, let filter, let body, let otherwise, let line):
                try executeFor(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line)
            case .set(let target, let expression, let line):
                let value = try located(line) { () throws(ChatTemplateError) in try evaluate(expression) }
                try assign(value, to: target, line: line)
            }
        }
    }

    /// Runs `body`, giving runtime errors raised without a line the line of the current statement.
    private func located<T>(_ line: Int, _ body: () throws(ChatTemplateError) -> T) throws(ChatTemplateError) -> T {
        do {
            return try body()
        } catch .runtime(let message, 0) {
            throw .runtime(message, line: line)
        } catch .unsupported(let what, 0) {
            throw .unsupported(what, line: line)
        }
    }

    private mutating func assign(_ value: Value, to target: SetTarget, line: Int) throws(ChatTemplateError) {
        switch target {
        case .name(let name):
            scopes[scopes.count - 1][name] = value
        case .attribute(let object, let attribute):
            guard case .namespace(let namespace) = lookup(object) else {
                throw .runtime("cannot assign attribute '\(attribute)' on '\(object)': not a namespace", line: line)
            }
            namespace.attributes[attribute] = value
        }
    }

    private mutating func executeFor(
        targets: [String], iterable: Expression, filter: Expression?, body: [Node], otherwise: [Node], line: Int
    ) throws(ChatTemplateError) {
        let sequence = try located(line) { () throws(ChatTemplateError) in try Self.iterate(try evaluate(iterable)) }
        var items: [[String: Value]] = []
        for item in sequence {
            var bindings: [String: Value] = [:]
            if targets.count == 1 {
                bindings[targets[0]] = item
            } else {
                guard case .array(let parts) = item, parts.count == targets.count else {
                    throw .runtime("cannot unpack \(item.typeName) into \(targets.count) loop variables", line: line)
                }
                for (name, part) in zip(targets, parts) { bindings[name] = part }
            }
            if let filter {
                scopes.append(bindings)
                let keep = try located(line) { () throws(ChatTemplateError) in try evaluate(filter) }
                scopes.removeLast()
                if !keep.isTruthy { continue }
            }
            items.append(bindings)
        }
        if items.isEmpty {
            try execute(otherwise)
            return
        }
        let values = items.map { bindings in targets.count == 1 ? bindings[targets[0]] ?? .none : .array(targets.map { bindings[$0] ?? .none }) }
        for (position, var bindings) in items.enumerated() {
            bindings["loop"] = .dict(Value.Dictionary([
                ("previtem", position > 0 ? values[position - 1] : .undefined("loop.previtem")),
                ("nextitem", position + 1 < values.count ? values[position + 1] : .undefined("loop.nextitem")),
                ("depth", .int(1)),
                ("depth0", .int(0)),
                ("index", .int(position + 1)),
                ("index0", .int(position)),
                ("revindex", .int(items.count - position)),
                ("revindex0", .int(items.count - position - 1)),
                ("first", .bool(position == 0)),
                ("last", .bool(position == items.count - 1)),
                ("length", .int(items.count)),
            ]))
            iterationBudget -= 1
            if iterationBudget < 0 { throw .runtime("too many loop iterations", line: line) }
            scopes.append(bindings)
            defer { scopes.removeLast() }
            try execute(body)
        }
    }

    /// The elements a `for` loop visits: list items, dict keys, string characters; nothing for undefined.
    static func iterate(_ value: Value) throws(ChatTemplateError) -> [Value] {
        switch value {
        case .undefined: return []
        case .array(let values): return values
        case .dict(let dict): return dict.keys.map { .string($0) }
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        default: throw .runtime("'\(value.typeName)' object is not iterable", line: 0)
        }
    }

    private func lookup(_ name: String) -> Value {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        if Self.globals.contains(name) { return .function(name) }
        return .undefined(name)
    }

    // MARK: Expressions

    func evaluate(_ expression: Expression) throws(ChatTemplateError) -> Value {
        switch expression {
        case .literal(let value):
            return value
        case .name(let name):
            return lookup(name)
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .dict(let pairs):
            var dict = Value.Dictionary()
            for pair in pairs {
                guard case .string(let key) = try evaluate(pair.key) else {
                    throw .unsupported("dict literal with a non-string key", line: 0)
                }
                dict[key] = try evaluate(pair.value)
            }
            return .dict(dict)
        case .attribute(let base, let name):
            return try Operators.attribute(try evaluate(base), name)
        case .subscript(let base, let key):
            return try Operators.item(try evaluate(base), try evaluate(key))
        case .slice(let base, let start, let stop, let step):
            return try Operators.slice(
                try evaluate(base), start: try start.map(evaluate), stop: try stop.map(evaluate), step: try step.map(evaluate))
        case .call(let callee, let arguments):
            return try call(callee, arguments)
        case .filter(let base, let name, let arguments):
            let (positional, keyword) = try evaluate(arguments)
            return try Filters.apply(name, to: try evaluate(base), positional, keyword)
        case .test(let base, let name, let arguments, let negated):
            let (positional, _) = try evaluate(arguments)
            return .bool(try TestPredicates.apply(name, to: try evaluate(base), positional) != negated)
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            switch op {
            case .not: return .bool(!value.isTruthy)
            case .negate, .plus: return try Operators.sign(value, negate: op == .negate)
            }
        case .binary(let op, let lhs, let rhs):
            return try Operators.binary(op, try evaluate(lhs), try evaluate(rhs))
        case .and(let lhs, let rhs):
            let left = try evaluate(lhs)
            return left.isTruthy ? try evaluate(rhs) : left
        case .or(let lhs, let rhs):
            let left = try evaluate(lhs)
            return left.isTruthy ? left : try evaluate(rhs)
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(value) }
            return try otherwise.map(evaluate) ?? .undefined("conditional without else")
        }
    }

    private func evaluate(_ arguments: Arguments) throws(ChatTemplateError) -> ([Value], [String: Value]) {
        var positional: [Value] = []
        for argument in arguments.positional { positional.append(try evaluate(argument)) }
        var keyword: [String: Value] = [:]
        for (name, argument) in arguments.keyword { keyword[name] = try evaluate(argument) }
        return (positional, keyword)
    }

    private func call(_ callee: Expression, _ arguments: Arguments) throws(ChatTemplateError) -> Value {
        let (positional, keyword) = try evaluate(arguments)
        if case .attribute(let base, let name) = callee {
            let object = try evaluate(base)
            if let result = try Methods.call(name, on: object, positional) { return result }
        }
        let function = try evaluate(callee)
        guard case .function(let name) = function else {
            if case .undefined(let missing) = function { throw .runtime("'\(missing)' is undefined", line: 0) }
            throw .runtime("'\(function.typeName)' object is not callable", line: 0)
        }
        switch name {
        case "raise_exception":
            throw .raised(positional.first?.text ?? "")
        case "namespace":
            var attributes = Value.Dictionary()
            if case .dict(let initial)? = positional.first {
                for (key, value) in initial.pairs { attributes[key] = value }
            }
            for (key, value) in keyword.sorted(by: { $0.key < $1.key }) { attributes[key] = value }
            return .namespace(Value.Namespace(attributes))
        case "range":
            let bounds = positional.compactMap { value -> Int? in if case .int(let n) = value { n } else { nil } }
            guard bounds.count == positional.count, (1...3).contains(bounds.count) else {
                throw .runtime("range() takes 1 to 3 integer arguments", line: 0)
            }
            let start = bounds.count == 1 ? 0 : bounds[0]
            let stop = bounds.count == 1 ? bounds[0] : bounds[1]
            let step = bounds.count == 3 ? bounds[2] : 1
            guard step != 0 else { throw .runtime("range() step must not be zero", line: 0) }
            let length = ((Double(stop) - Double(start)) / Double(step)).rounded(.up)
            guard length <= Double(Self.maximumSequence) else {
                throw .runtime("range() longer than \(Self.maximumSequence) items", line: 0)
            }
            return .array(Swift.stride(from: start, to: stop, by: step).map { .int($0) })
        case "strftime_now":
            guard let date else { throw .unsupported("strftime_now without a date from the caller", line: 0) }
            guard case .string(let pattern)? = positional.first else {
                throw .runtime("strftime_now() needs a format string", line: 0)
            }
            return .string(try date.format(pattern))
        default:
            throw .unsupported("function '\(name)'", line: 0)
        }
    }
}
