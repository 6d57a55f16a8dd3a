/// The key–value metadata of a GGUF file, with typed accessors.
///
/// Accessors without `IfPresent` throw `missingKey` when the key is absent; all of them throw
/// `typeMismatch` when the key holds another type than asked for.
public struct GGUFMetadata: Sendable {
    /// Keys in file order.
    public let keys: [String]
    private let values: [String: GGUFValue]

    /// Metadata from keys in order and their values. Keys must be unique.
    public init(orderedPairs: [(String, GGUFValue)]) {
        keys = orderedPairs.map(\.0)
        values = Dictionary(orderedPairs, uniquingKeysWith: { first, _ in first })
    }

    /// The raw value of `key`, if present.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// A string value.
    public func string(_ key: String) throws(GGUFError) -> String {
        guard let value = try stringIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// A string value, or nil when the key is absent.
    public func stringIfPresent(_ key: String) throws(GGUFError) -> String? {
        guard let value = values[key] else { return nil }
        guard case let .string(string) = value else { throw mismatch(key, "string", value) }
        return string
    }

    /// An integer value of any integer type.
    public func integer(_ key: String) throws(GGUFError) -> Int {
        guard let value = try integerIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// An integer value of any integer type, or nil when the key is absent.
    public func integerIfPresent(_ key: String) throws(GGUFError) -> Int? {
        guard let value = values[key] else { return nil }
        guard let integer = value.integerValue else { throw mismatch(key, "integer", value) }
        return integer
    }

    /// A floating-point value (float32 or float64).
    public func float(_ key: String) throws(GGUFError) -> Float {
        guard let value = try floatIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// A floating-point value, or nil when the key is absent.
    public func floatIfPresent(_ key: String) throws(GGUFError) -> Float? {
        guard let value = values[key] else { return nil }
        guard let float = value.floatValue else { throw mismatch(key, "float", value) }
        return float
    }

    /// A boolean value.
    public func bool(_ key: String) throws(GGUFError) -> Bool {
        guard let value = try boolIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// A boolean value, or nil when the key is absent.
    public func boolIfPresent(_ key: String) throws(GGUFError) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case let .bool(bool) = value else { throw mismatch(key, "bool", value) }
        return bool
    }

    /// An array of strings.
    public func stringArray(_ key: String) throws(GGUFError) -> [String] {
        guard let value = try stringArrayIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// An array of strings, or nil when the key is absent.
    public func stringArrayIfPresent(_ key: String) throws(GGUFError) -> [String]? {
        guard let elements = try arrayIfPresent(key, "array of strings") else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case let .string(string) = element else { throw mismatch(key, "array of strings", values[key]) }
            strings.append(string)
        }
        return strings
    }

    /// An array of integers of any integer type.
    public func integerArray(_ key: String) throws(GGUFError) -> [Int] {
        guard let value = try integerArrayIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// An array of integers, or nil when the key is absent.
    public func integerArrayIfPresent(_ key: String) throws(GGUFError) -> [Int]? {
        guard let elements = try arrayIfPresent(key, "array of integers") else { return nil }
        var integers: [Int] = []
        integers.reserveCapacity(elements.count)
        for element in elements {
            guard let integer = element.integerValue else { throw mismatch(key, "array of integers", values[key]) }
            integers.append(integer)
        }
        return integers
    }

    /// An array of floating-point numbers.
    public func floatArray(_ key: String) throws(GGUFError) -> [Float] {
        guard let value = try floatArrayIfPresent(key) else { throw .missingKey(key) }
        return value
    }

    /// An array of floating-point numbers, or nil when the key is absent.
    public func floatArrayIfPresent(_ key: String) throws(GGUFError) -> [Float]? {
        guard let elements = try arrayIfPresent(key, "array of floats") else { return nil }
        var floats: [Float] = []
        floats.reserveCapacity(elements.count)
        for element in elements {
            guard let float = element.floatValue else { throw mismatch(key, "array of floats", values[key]) }
            floats.append(float)
        }
        return floats
    }

    private func arrayIfPresent(_ key: String, _ expected: String) throws(GGUFError) -> [GGUFValue]? {
        guard let value = values[key] else { return nil }
        guard case let .array(_, elements) = value else { throw mismatch(key, expected, value) }
        return elements
    }

    private func mismatch(_ key: String, _ expected: String, _ found: GGUFValue?) -> GGUFError {
        .typeMismatch(key: key, expected: expected, found: found?.typeName ?? "absent")
    }
}
