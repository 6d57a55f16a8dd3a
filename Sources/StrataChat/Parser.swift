/// Recursive-descent parser from tokens to ``Node``s, following Jinja's operator precedence:
/// `or` < `and` < `not` < comparisons/`in` < `+ -` < `~` < `* / // %` < `**` < unary
/// < primary with postfix (`.attr`, `[ ]`, `( )`), then filters `|` and tests `is`.
struct Parser {
    private let tokens: [Token]
    private var index = 0
    /// Current nesting of blocks and expressions, bounded so hostile input cannot exhaust the stack.
    private var depth = 0
    static let maximumDepth = 200

    /// Block tags Jinja has but this interpreter does not implement.
    static let unsupportedTags: Set<String> = [
        "macro", "call", "filter", "raw", "include", "import", "from", "extends", "block",
        "with", "break", "continue", "autoescape", "do", "trans", "endmacro",
    ]

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole template.
    mutating func parseTemplate() throws(ChatTemplateError) -> [Node] {
        let (body, end) = try parseBody(until: [])
        if let end { throw .syntax("unexpected '{% \(end) %}'", line: currentLine) }
        return body
    }

    // MARK: Statements

    private var currentLine: Int { index < tokens.count ? tokens[index].line : (tokens.last?.line ?? 1) }

    private func peek(_ offset: Int = 0) -> Token.Kind? {
        index + offset < tokens.count ? tokens[index + offset].kind : nil
    }

    /// Parses nodes until a block tag named in `ends`; consumes `{%` and that name and returns it.
    private mutating func parseBody(until ends: Set<String>) throws(ChatTemplateError) -> ([Node], String?) {
        try enter()
        defer { depth -= 1 }
        var nodes: [Node] = []
        while let kind = peek() {
            let line = currentLine
            switch kind {
            case .text(let text):
                index += 1
                nodes.append(.text(text))
            case .expressionStart:
                index += 1
                let expression = try parseExpression()
                try expect(.expressionEnd, "'}}'")
                nodes.append(.output(expression, line: line))
            case .blockStart:
                guard case .name(let tag) = peek(1) else { throw .syntax("expected a tag name after '{%'", line: line) }
                index += 2
                if ends.contains(tag) { return (nodes, tag) }
                nodes.append(try parseStatement(tag, line: line))
            default:
                throw .syntax("unexpected token", line: line)
            }
        }
        if !ends.isEmpty { throw .syntax("missing '{% \(ends.sorted().joined(separator: "/")) %}'", line: currentLine) }
        return (nodes, nil)
    }

    private mutating func parseStatement(_ tag: String, line: Int) throws(ChatTemplateError) -> Node {
        switch tag {
        case "if": return try parseIf(line: line)
        case "for": return try parseFor(line: line)
        case "set": return try parseSet(line: line)
        default:
            if Self.unsupportedTags.contains(tag) { throw .unsupported("'{% \(tag) %}' tag", line: line) }
            throw .syntax("unknown tag '\(tag)'", line: line)
        }
    }

    private mutating func parseIf(line: Int) throws(ChatTemplateError) -> Node {
        var branches: [(condition: Expression, body: [Node])] = []
        var condition = try parseExpression()
        while true {
            try expect(.blockEnd, "'%}'")
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseExpression()
            case "else":
                try expect(.blockEnd, "'%}'")
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expect(.blockEnd, "'%}'")
                return .ifChain(branches: branches, otherwise: otherwise, line: line)
            default:
                try expect(.blockEnd, "'%}'")
                return .ifChain(branches: branches, otherwise: [], line: line)
            }
        }
    }

    private mutating func parseFor(line: Int) throws(ChatTemplateError) -> Node {
        var targets = [try expectName()]
        while peek() == .op(",") {
            index += 1
            targets.append(try expectName())
        }
        guard peek() == .name("in") else { throw .syntax("expected 'in' in for loop", line: currentLine) }
        index += 1
        let iterable = try parseOr()
        var filter: Expression?
        if peek() == .name("if") {
            index += 1
            filter = try parseOr()
        }
        if peek() == .name("recursive") { throw .unsupported("recursive for loop", line: currentLine) }
        try expect(.blockEnd, "'%}'")
        let (body, end) = try parseBody(until: ["else", "endfor"])
        var otherwise: [Node] = []
        if end == "else" {
            try expect(.blockEnd, "'%}'")
            (otherwise, _) = try parseBody(until: ["endfor"])
        }
        try expect(.blockEnd, "'%}'")
        return .forLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line)
    }

    private mutating func parseSet(line: Int) throws(ChatTemplateError) -> Node {
        let name = try expectName()
        var target = SetTarget.name(name)
        if peek() == .op(".") {
            index += 1
            target = .attribute(name, try expectName())
        }
        if peek() == .op(",") { throw .unsupported("tuple assignment in '{% set %}'", line: line) }
        if peek() == .blockEnd { throw .unsupported("block '{% set %}...{% endset %}'", line: line) }
        try expect(.op("="), "'='")
        let value = try parseExpression()
        try expect(.blockEnd, "'%}'")
        return .set(target, value, line: line)
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String) throws(ChatTemplateError) {
        guard peek() == kind else { throw .syntax("expected \(what)", line: currentLine) }
        index += 1
    }

    private mutating func expectName() throws(ChatTemplateError) -> String {
        guard case .name(let name) = peek() else { throw .syntax("expected a name", line: currentLine) }
        index += 1
        return name
    }

    // MARK: Expressions

    private mutating func enter() throws(ChatTemplateError) {
        depth += 1
        if depth > Self.maximumDepth { throw .syntax("nesting deeper than \(Self.maximumDepth) levels", line: currentLine) }
    }

    mutating func parseExpression() throws(ChatTemplateError) -> Expression {
        try enter()
        defer { depth -= 1 }
        let value = try parseOr()
        guard peek() == .name("if") else { return value }
        index += 1
        let condition = try parseOr()
        var otherwise: Expression?
        if peek() == .name("else") {
            index += 1
            otherwise = try parseExpression()
        }
        return .conditional(value: value, condition: condition, otherwise: otherwise)
    }

    private mutating func parseOr() throws(ChatTemplateError) -> Expression {
        var left = try parseAnd()
        while peek() == .name("or") {
            index += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(ChatTemplateError) -> Expression {
        var left = try parseNot()
        while peek() == .name("and") {
            index += 1
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(ChatTemplateError) -> Expression {
        if peek() == .name("not") {
            try enter()
            defer { depth -= 1 }
            index += 1
            return .unary(.not, try parseNot())
        }
        return try parseCompare()
    }

    /// Comparisons chain as in Python: `a < b < c` means `a < b and b < c`.
    private mutating func parseCompare() throws(ChatTemplateError) -> Expression {
        var operand = try parseMath1()
        var chain: Expression?
        while true {
            let op: BinaryOperator
            switch peek() {
            case .op(let symbol) where ["==", "!=", "<", "<=", ">", ">="].contains(symbol):
                guard let parsed = BinaryOperator(rawValue: symbol) else { return chain ?? operand }
                op = parsed
                index += 1
            case .name("in"):
                op = .contains
                index += 1
            case .name("not") where peek(1) == .name("in"):
                op = .notContains
                index += 2
            default:
                return chain ?? operand
            }
            let right = try parseMath1()
            let comparison = Expression.binary(op, operand, right)
            chain = chain.map { .and($0, comparison) } ?? comparison
            operand = right
        }
    }

    private mutating func parseBinaryLevel(
        _ symbols: [String], next: (inout Parser) throws(ChatTemplateError) -> Expression
    ) throws(ChatTemplateError) -> Expression {
        var left = try next(&self)
        while case .op(let symbol) = peek(), symbols.contains(symbol), let op = BinaryOperator(rawValue: symbol) {
            index += 1
            left = .binary(op, left, try next(&self))
        }
        return left
    }

    private mutating func parseMath1() throws(ChatTemplateError) -> Expression {
        try parseBinaryLevel(["+", "-"]) { (parser: inout Parser) throws(ChatTemplateError) in try parser.parseConcat() }
    }

    private mutating func parseConcat() throws(ChatTemplateError) -> Expression {
        try parseBinaryLevel(["~"]) { (parser: inout Parser) throws(ChatTemplateError) in try parser.parseMath2() }
    }

    private mutating func parseMath2() throws(ChatTemplateError) -> Expression {
        try parseBinaryLevel(["*", "/", "//", "%"]) { (parser: inout Parser) throws(ChatTemplateError) in try parser.parsePow() }
    }

    private mutating func parsePow() throws(ChatTemplateError) -> Expression {
        try parseBinaryLevel(["**"]) { (parser: inout Parser) throws(ChatTemplateError) in try parser.parseUnary(withFilters: true) }
    }

    /// As in Jinja, filters after a sign apply to the signed value: `-3|abs` is `(-3)|abs`.
    private mutating func parseUnary(withFilters: Bool = true) throws(ChatTemplateError) -> Expression {
        let expression: Expression
        if peek() == .op("-") || peek() == .op("+") {
            try enter()
            defer { depth -= 1 }
            let op: UnaryOperator = peek() == .op("-") ? .negate : .plus
            index += 1
            expression = .unary(op, try parseUnary(withFilters: false))
        } else {
            expression = try parsePostfix(try parsePrimary())
        }
        return withFilters ? try parseFiltersAndTests(expression) : expression
    }

    private mutating func parsePrimary() throws(ChatTemplateError) -> Expression {
        let line = currentLine
        guard let kind = peek() else { throw .syntax("unexpected end of template", line: line) }
        index += 1
        switch kind {
        case .name(let name):
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(name)
            }
        case .string(var text):
            while case .string(let more) = peek() {
                text += more
                index += 1
            }
            return .literal(.string(text))
        case .integer(let value): return .literal(.int(value))
        case .float(let value): return .literal(.double(value))
        case .op("("):
            let inner = try parseExpression()
            if peek() == .op(",") { throw .unsupported("tuple literal", line: line) }
            try expect(.op(")"), "')'")
            return inner
        case .op("["):
            var items: [Expression] = []
            while peek() != .op("]") {
                items.append(try parseExpression())
                guard peek() == .op(",") else { break }
                index += 1
            }
            try expect(.op("]"), "']'")
            return .list(items)
        case .op("{"):
            var pairs: [(key: Expression, value: Expression)] = []
            while peek() != .op("}") {
                let key = try parseExpression()
                try expect(.op(":"), "':'")
                pairs.append((key, try parseExpression()))
                guard peek() == .op(",") else { break }
                index += 1
            }
            try expect(.op("}"), "'}'")
            return .dict(pairs)
        default:
            throw .syntax("unexpected token in expression", line: line)
        }
    }

    private mutating func parsePostfix(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var expression = base
        while true {
            switch peek() {
            case .op("."):
                index += 1
                switch peek() {
                case .name(let name):
                    index += 1
                    expression = .attribute(expression, name)
                case .integer(let position):
                    index += 1
                    expression = .subscript(expression, .literal(.int(position)))
                default:
                    throw .syntax("expected an attribute name after '.'", line: currentLine)
                }
            case .op("["):
                index += 1
                expression = try parseSubscript(expression)
            case .op("("):
                index += 1
                expression = .call(expression, try parseArguments())
            default:
                return expression
            }
        }
    }

    /// After `[`: an index or a `start:stop:step` slice.
    private mutating func parseSubscript(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var parts: [Expression?] = [nil]
        var sawColon = false
        while peek() != .op("]") {
            if peek() == .op(":") {
                index += 1
                sawColon = true
                parts.append(nil)
                if parts.count > 3 { throw .syntax("too many ':' in slice", line: currentLine) }
            } else {
                if parts[parts.count - 1] != nil { throw .syntax("expected ']'", line: currentLine) }
                parts[parts.count - 1] = try parseExpression()
            }
        }
        index += 1
        if !sawColon {
            guard let only = parts[0] else { throw .syntax("empty subscript", line: currentLine) }
            return .subscript(base, only)
        }
        return .slice(base, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil)
    }

    /// After `(`: positional and `name=value` arguments up to `)`.
    private mutating func parseArguments() throws(ChatTemplateError) -> Arguments {
        var arguments = Arguments()
        while peek() != .op(")") {
            if case .name(let name) = peek(), peek(1) == .op("=") {
                index += 2
                arguments.keyword.append((name, try parseExpression()))
            } else {
                if !arguments.keyword.isEmpty { throw .syntax("positional argument after keyword argument", line: currentLine) }
                arguments.positional.append(try parseExpression())
            }
            guard peek() == .op(",") else { break }
            index += 1
        }
        try expect(.op(")"), "')'")
        return arguments
    }

    private mutating func parseFiltersAndTests(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var expression = base
        while true {
            if peek() == .op("|") {
                index += 1
                let line = currentLine
                let name = try expectName()
                guard Filters.names.contains(name) else { throw .unsupported("filter '\(name)'", line: line) }
                var arguments = Arguments()
                if peek() == .op("(") {
                    index += 1
                    arguments = try parseArguments()
                }
                expression = .filter(expression, name: name, arguments)
            } else if peek() == .name("is") {
                index += 1
                var negated = false
                if peek() == .name("not") {
                    index += 1
                    negated = true
                }
                let line = currentLine
                let name = try expectName()
                guard TestPredicates.names.contains(name) else { throw .unsupported("test '\(name)'", line: line) }
                var arguments = Arguments()
                if peek() == .op("(") {
                    index += 1
                    arguments = try parseArguments()
                } else if startsTestArgument() {
                    arguments.positional.append(try parsePostfix(try parsePrimary()))
                }
                expression = .test(expression, name: name, arguments, negated: negated)
            } else {
                return expression
            }
        }
    }

    /// Whether the next token begins a parenthesis-free test argument (`x is equalto 3`).
    private func startsTestArgument() -> Bool {
        switch peek() {
        case .string, .integer, .float, .op("["), .op("{"): return true
        case .name(let name): return !["else", "or", "and", "if", "not", "in", "is"].contains(name)
        default: return false
        }
    }
}
