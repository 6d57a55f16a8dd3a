/// Naming rules shared by models, aliases, labels and pins.
enum Names {
    /// Longest name accepted.
    static let maxLength = 128

    /// Checks a name: starts with a letter or digit, then letters, digits, `.`, `_`, `-`
    /// (and `/` when `allowSlash`, for model names such as `google/gemma-3`).
    static func validate(_ name: String, allowSlash: Bool = false) throws(CatalogError) {
        guard !name.isEmpty else { throw .invalidName(name, reason: "empty") }
        guard name.utf8.count <= maxLength else {
            throw .invalidName(name, reason: "longer than \(maxLength) bytes")
        }
        for (index, byte) in name.utf8.enumerated() {
            let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A)
            if index == 0, !alphanumeric {
                throw .invalidName(name, reason: "must start with a letter or digit")
            }
            let punctuation = byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || (allowSlash && byte == UInt8(ascii: "/"))
            guard alphanumeric || punctuation else {
                throw .invalidName(name, reason: "only letters, digits, '.', '_', '-'"
                    + (allowSlash ? " and '/'" : "") + " are allowed")
            }
        }
    }

    /// Whether `text` is lowercase hexadecimal, 1 to 64 digits.
    static func isDigestPrefix(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
