/// Named keys of the admin API (`/admin/v1/*`). A change made with a key is audited under the
/// key's name, so every operator or tool gets a key of its own.
public struct AdminKeys: Sendable, Equatable {
    /// One named key.
    public struct Key: Sendable, Equatable {
        /// Who the key belongs to (the audit log's actor).
        public var name: String
        /// The secret, as sent in `Authorization: Bearer <key>`.
        public var secret: String
    }

    /// The keys, in the order given.
    public private(set) var keys: [Key] = []

    /// No keys (the admin API refuses every request).
    public init() {}

    /// Whether there are no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// Adds `NAME=KEY`. Names follow the catalog's naming rules (letters, digits, `.`, `_`, `-`);
    /// keys must be at least 16 characters; names and keys must be unique.
    public mutating func add(_ text: String) throws(AdminKeyError) {
        guard let equals = text.firstIndex(of: "=") else { throw .malformed(Self.redacted(text)) }
        let name = String(text[..<equals]), secret = String(text[text.index(after: equals)...])
        guard !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy(Self.isNameByte) else {
            throw .invalidName(name)
        }
        guard secret.utf8.count >= 16, !secret.contains(where: \.isWhitespace) else { throw .weakKey(name) }
        guard !keys.contains(where: { $0.name == name }) else { throw .duplicate(name) }
        guard !keys.contains(where: { $0.secret == secret }) else { throw .duplicate(name) }
        keys.append(Key(name: name, secret: secret))
    }

    /// Adds every `NAME=KEY` line of a key file's `contents`; blank lines and lines starting
    /// with `#` are skipped.
    public mutating func add(fileContents contents: String) throws(AdminKeyError) {
        for line in contents.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            try add(trimmed)
        }
    }

    /// The name of the key an `Authorization` header carries, or nil. Every key is compared in
    /// constant time, so the answer's timing does not tell which keys came close.
    public func name(forAuthorization header: String?) -> String? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        let presented = Array(header.utf8.dropFirst(7))
        var found: String?
        for key in keys where APIKeyMiddleware<StrataRequestContext>.constantTimeEqual(presented, Array(key.secret.utf8)) {
            found = key.name
        }
        return found
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// The part of a malformed entry that is safe to print (never the secret).
    private static func redacted(_ text: String) -> String {
        text.isEmpty ? "(empty)" : "'\(text.prefix(1))…' (\(text.count) characters)"
    }
}

/// Why an admin key was refused.
public enum AdminKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not `NAME=KEY`.
    case malformed(String)
    /// The name breaks the rules.
    case invalidName(String)
    /// The key is shorter than 16 characters or contains white space.
    case weakKey(String)
    /// A name or key given twice.
    case duplicate(String)

    public var description: String {
        switch self {
        case let .malformed(text): "admin key \(text) is not NAME=KEY"
        case let .invalidName(name): "admin key name '\(name)' must be 1 to 64 letters, digits, '.', '_' or '-'"
        case let .weakKey(name): "admin key '\(name)' must be at least 16 characters without spaces"
        case let .duplicate(name): "admin key '\(name)': names and keys must be unique"
        }
    }
}
