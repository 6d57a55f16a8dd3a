/// Expressions, following Jinja's operator precedence:
/// `or` < `and` < `not` < comparisons/`in` < `+ -` < `~` < `* / // %` < `**` < unary sign
/// < primary with postfix (`.attr`, `[ ]`, `( )`), then filters `|` and tests `is`.
extension Parser {
    mutating func enter() throws(ChatTemplateError) {
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

    mutating func parseOr() throws(ChatTemplateError) -> Expression {
        var left = try parseAnd()
        var chained = 0
        defer { depth -= chained }
        while peek() == .name("or") {
            try enter()
            chained += 1
            index += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(ChatTemplateError) -> Expression {
        var left = try parseNot()
        var chained = 0
        defer { depth -= chained }
        while peek() == .name("and") {
            try enter()
            chained += 1
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
        var chained = 0
        defer { depth -= chained }
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
            try enter()
            chained += 1
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
        var chained = 0
        defer { depth -= chained }
        while case .op(let symbol) = peek(), symbols.contains(symbol), let op = BinaryOperator(rawValue: symbol) {
            try enter()
            chained += 1
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
        var chained = 0
        defer { depth -= chained }
        while true {
            if [.op("."), .op("["), .op("(")].contains(peek()) {
                try enter()
                chained += 1
            }
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
        var chained = 0
        defer { depth -= chained }
        while true {
            if peek() == .op("|") || peek() == .name("is") {
                try enter()
                chained += 1
            }
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
