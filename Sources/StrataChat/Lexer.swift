/// Splits template source into tokens, applying Jinja whitespace control as Hugging Face
/// configures it: `trim_blocks` (drop the newline after a block or comment tag),
/// `lstrip_blocks` (drop spaces and tabs before a block or comment tag at the start of a line),
/// and the explicit `-` / `+` markers on tags.
struct Lexer {
    private enum TagKind { case expression, block, comment }

    private let source: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var tokens: [Token] = []
    private let trimBlocks: Bool
    private let lstripBlocks: Bool

    /// Like Jinja, line endings (`\r\n`, `\r`) become `\n` and one trailing newline is dropped
    /// (`keep_trailing_newline=False`).
    init(_ source: String, trimBlocks: Bool = true, lstripBlocks: Bool = true) {
        var normalized: [Unicode.Scalar] = []
        normalized.reserveCapacity(source.unicodeScalars.count)
        var afterCarriageReturn = false
        for scalar in source.unicodeScalars {
            defer { afterCarriageReturn = scalar == "\r" }
            if scalar == "\n", afterCarriageReturn { continue }
            normalized.append(scalar == "\r" ? "\n" : scalar)
        }
        if normalized.last == "\n" { normalized.removeLast() }
        self.source = normalized
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
    }

    /// Tokenizes the whole source.
    mutating func tokenize() throws(ChatTemplateError) -> [Token] {
        var text = String.UnicodeScalarView()
        var textLine = line
        var stripLeading = false
        var trimNewline = false

        while position < source.count {
            let scalar = source[position]
            if scalar == "{", position + 1 < source.count, let kind = Self.tagKind(source[position + 1]) {
                let tagLine = line
                var cursor = position + 2
                var modifier: Unicode.Scalar?
                if cursor < source.count, source[cursor] == "-" || source[cursor] == "+" {
                    modifier = source[cursor]
                    cursor += 1
                }
                if modifier == "-" {
                    while let last = text.last, last.properties.isWhitespace { text.removeLast() }
                } else if modifier != "+", lstripBlocks, kind != .expression, startsLine(before: position) {
                    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
                }
                if !text.isEmpty { tokens.append(Token(kind: .text(String(text)), line: textLine)) }
                text = String.UnicodeScalarView()
                position = cursor
                stripLeading = false
                trimNewline = false
                let marker: Unicode.Scalar?
                switch kind {
                case .comment: marker = try skipComment(openedOn: tagLine)
                case .expression, .block: marker = try lexTag(kind, openedOn: tagLine)
                }
                // `-%}` strips all following whitespace; `+%}` keeps the newline trim_blocks would drop.
                if marker == "-" { stripLeading = true } else if marker != "+", trimBlocks, kind != .expression { trimNewline = true }
                textLine = line
                continue
            }
            position += 1
            if scalar == "\n" { line += 1 }
            if stripLeading {
                if scalar.properties.isWhitespace { textLine = line; continue }
                stripLeading = false
            }
            if trimNewline {
                trimNewline = false
                if scalar == "\n" { textLine = line; continue }
            }
            text.append(scalar)
        }
        if !text.isEmpty { tokens.append(Token(kind: .text(String(text)), line: textLine)) }
        return tokens
    }

    private static func tagKind(_ scalar: Unicode.Scalar) -> TagKind? {
        switch scalar {
        case "{": .expression
        case "%": .block
        case "#": .comment
        default: nil
        }
    }

    /// Whether only spaces and tabs separate `index` from the start of its line.
    private func startsLine(before index: Int) -> Bool {
        var cursor = index - 1
        while cursor >= 0, source[cursor] == " " || source[cursor] == "\t" { cursor -= 1 }
        return cursor < 0 || source[cursor] == "\n"
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < source.count ? source[position + offset] : nil
    }

    /// Skips a comment body; returns the whitespace marker before `#}` (`-` or `+`), if any.
    private mutating func skipComment(openedOn tagLine: Int) throws(ChatTemplateError) -> Unicode.Scalar? {
        while position + 1 < source.count {
            if source[position] == "#", source[position + 1] == "}" {
                let before: Unicode.Scalar? = position > 0 ? source[position - 1] : nil
                position += 2
                return before == "-" || before == "+" ? before : nil
            }
            if source[position] == "\n" { line += 1 }
            position += 1
        }
        throw .syntax("unterminated comment", line: tagLine)
    }

    /// Lexes the inside of `{{ }}` or `{% %}`; returns the whitespace marker before the end (`-` or `+`), if any.
    private mutating func lexTag(_ kind: TagKind, openedOn tagLine: Int) throws(ChatTemplateError) -> Unicode.Scalar? {
        let endMark: Unicode.Scalar = kind == .expression ? "}" : "%"
        tokens.append(Token(kind: kind == .expression ? .expressionStart : .blockStart, line: tagLine))
        var braceDepth = 0
        while let scalar = peek() {
            if scalar == "\n" { line += 1; position += 1; continue }
            if scalar.properties.isWhitespace { position += 1; continue }
            // Tag end, optionally with a whitespace-control marker.
            if (scalar == "-" || scalar == "+"), peek(1) == endMark, peek(2) == "}", braceDepth == 0 {
                position += 3
                tokens.append(Token(kind: kind == .expression ? .expressionEnd : .blockEnd, line: line))
                return scalar
            }
            if scalar == endMark, peek(1) == "}", braceDepth == 0 {
                position += 2
                tokens.append(Token(kind: kind == .expression ? .expressionEnd : .blockEnd, line: line))
                return nil
            }
            if scalar == "'" || scalar == "\"" {
                tokens.append(Token(kind: .string(try lexString(quote: scalar)), line: line))
            } else if scalar.properties.isAlphabetic || scalar == "_" {
                var name = String.UnicodeScalarView()
                while let next = peek(), next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next) {
                    name.append(next)
                    position += 1
                }
                tokens.append(Token(kind: .name(String(name)), line: line))
            } else if ("0"..."9").contains(scalar) {
                tokens.append(Token(kind: lexNumber(), line: line))
            } else {
                let two = peek(1).map { String(scalar) + String($0) } ?? ""
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    position += 2
                    tokens.append(Token(kind: .op(two), line: line))
                } else if "+-*/%~<>=()[]{}.,:|".unicodeScalars.contains(scalar) {
                    if scalar == "{" { braceDepth += 1 }
                    if scalar == "}" { braceDepth -= 1 }
                    position += 1
                    tokens.append(Token(kind: .op(String(scalar)), line: line))
                } else {
                    throw .syntax("unexpected character '\(scalar)'", line: line)
                }
            }
        }
        throw .syntax("unterminated \(kind == .expression ? "{{" : "{%") tag", line: tagLine)
    }

    private mutating func lexNumber() -> Token.Kind {
        var digits = ""
        while let next = peek(), ("0"..."9").contains(next) || next == "_" {
            if next != "_" { digits.unicodeScalars.append(next) }
            position += 1
        }
        var isFloat = false
        if peek() == ".", let after = peek(1), ("0"..."9").contains(after) {
            isFloat = true
            digits += "."
            position += 1
            while let next = peek(), ("0"..."9").contains(next) || next == "_" {
                if next != "_" { digits.unicodeScalars.append(next) }
                position += 1
            }
        }
        // Exponent: `1e20`, `2.5E-3`.
        if let marker = peek(), marker == "e" || marker == "E" {
            var length = 1
            if let sign = peek(1), sign == "+" || sign == "-" { length = 2 }
            if let digit = peek(length), ("0"..."9").contains(digit) {
                isFloat = true
                for offset in 0..<length { digits.unicodeScalars.append(source[position + offset]) }
                position += length
                while let next = peek(), ("0"..."9").contains(next) {
                    digits.unicodeScalars.append(next)
                    position += 1
                }
            }
        }
        if isFloat { return .float(Double(digits) ?? .infinity) }
        if let value = Int(digits) { return .integer(value) }
        return .float(Double(digits) ?? .infinity)
    }

    /// A Python-style string literal with backslash escapes.
    private mutating func lexString(quote: Unicode.Scalar) throws(ChatTemplateError) -> String {
        let startLine = line
        position += 1
        var value = String.UnicodeScalarView()
        while let scalar = peek() {
            position += 1
            if scalar == quote { return String(value) }
            if scalar == "\n" { line += 1 }
            guard scalar == "\\", let escaped = peek() else { value.append(scalar); continue }
            position += 1
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "0": value.append("\0")
            case "\\", "'", "\"": value.append(escaped)
            case "\n": line += 1
            case "u", "x":
                let width = escaped == "u" ? 4 : 2
                let hex = String(String.UnicodeScalarView(source[position..<min(position + width, source.count)]))
                if hex.count == width, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) {
                    value.append(decoded)
                    position += width
                } else {
                    throw .syntax("bad \\\(escaped) escape in string literal", line: line)
                }
            default:
                value.append("\\")
                value.append(escaped)
            }
        }
        throw .syntax("unterminated string literal", line: startLine)
    }
}
