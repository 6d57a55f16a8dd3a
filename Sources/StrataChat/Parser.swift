/// Recursive-descent parser from tokens to ``Node``s: statements here, expressions in `Parser+Expressions.swift`.
struct Parser {
    let tokens: [Token]
    var index = 0
    /// Current nesting of blocks and expressions (an operator or filter chain counts one level per link),
    /// bounded so hostile input cannot exhaust the stack while parsing or rendering.
    var depth = 0
    static let maximumDepth = 100

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

    var currentLine: Int { index < tokens.count ? tokens[index].line : (tokens.last?.line ?? 1) }

    func peek(_ offset: Int = 0) -> Token.Kind? {
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

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(ChatTemplateError) {
        guard peek() == kind else { throw .syntax("expected \(what)", line: currentLine) }
        index += 1
    }

    mutating func expectName() throws(ChatTemplateError) -> String {
        guard case .name(let name) = peek() else { throw .syntax("expected a name", line: currentLine) }
        index += 1
        return name
    }
}
