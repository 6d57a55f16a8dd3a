/// Why a frame of the cluster wire format was refused. Decoding never traps on bad input: every
/// length is checked against the bytes present and against the limits before use.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame ended before `field` could be read.
    case truncated(field: String)
    /// The frame does not start with the `STRW` magic.
    case badMagic
    /// The frame's version is not this build's `ClusterVersion.wire`.
    case unsupportedVersion(UInt16)
    /// The frame is of `kind`, where `expected` was wanted (or an unknown kind).
    case unexpectedKind(UInt8, expected: UInt8)
    /// A field holds a value outside its range.
    case invalidField(String, reason: String)
    /// Bytes were left over after the last field.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case let .truncated(field): "frame truncated at \(field)"
        case .badMagic: "not a Strata cluster frame (bad magic)"
        case let .unsupportedVersion(version): "wire version \(version) is not \(ClusterVersion.wire)"
        case let .unexpectedKind(kind, expected): "frame kind \(kind) where \(expected) was expected"
        case let .invalidField(field, reason): "invalid \(field): \(reason)"
        case let .trailingBytes(count): "\(count) bytes after the last field"
        }
    }
}
