/// Python `str` operations on Unicode scalars (code points), as Python counts and compares them.
enum Text {
    /// Python's default whitespace for `strip()`, `split()` and `trim`.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// Index (in scalars) of the first occurrence of `needle` in `text`.
    static func find(_ needle: String, in text: String, from start: Int = 0) -> Int? {
        let haystack = Array(text.unicodeScalars), pattern = Array(needle.unicodeScalars)
        return find(pattern, in: haystack, from: start)
    }

    static func find(_ pattern: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
        guard pattern.count <= haystack.count else { return nil }
        var position = start
        while position + pattern.count <= haystack.count {
            if haystack[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
            position += 1
        }
        return nil
    }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        String(String.UnicodeScalarView(scalars))
    }

    /// `str.strip(chars)` / `lstrip` / `rstrip`; `chars == nil` strips whitespace.
    static func strip(_ text: String, _ chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let drop: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isWhitespace($0) }
        var scalars = Array(text.unicodeScalars)[...]
        if leading { while let first = scalars.first, drop(first) { scalars.removeFirst() } }
        if trailing { while let last = scalars.last, drop(last) { scalars.removeLast() } }
        return string(scalars)
    }

    /// `str.split(separator)`; `nil` splits on runs of whitespace and drops empty parts.
    static func split(_ text: String, _ separator: String?) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard let separator else {
            var parts: [String] = [], current = String.UnicodeScalarView()
            for scalar in scalars {
                if isWhitespace(scalar) {
                    if !current.isEmpty { parts.append(String(current)); current = String.UnicodeScalarView() }
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { parts.append(String(current)) }
            return parts
        }
        let pattern = Array(separator.unicodeScalars)
        var parts: [String] = [], start = 0
        while let found = find(pattern, in: scalars, from: start) {
            parts.append(string(scalars[start..<found]))
            start = found + pattern.count
        }
        parts.append(string(scalars[start...]))
        return parts
    }

    /// `str.replace(old, new)`.
    static func replace(_ text: String, _ old: String, _ new: String, count: Int? = nil) -> String {
        let scalars = Array(text.unicodeScalars), pattern = Array(old.unicodeScalars)
        if pattern.isEmpty { return text }
        var result = String.UnicodeScalarView(), start = 0, done = 0
        while count.map({ done < $0 }) ?? true, let found = find(pattern, in: scalars, from: start) {
            result.append(contentsOf: scalars[start..<found])
            result.append(contentsOf: new.unicodeScalars)
            start = found + pattern.count
            done += 1
        }
        result.append(contentsOf: scalars[start...])
        return String(result)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }
}
