/// The 8 bytes that open every cluster frame: magic `STRW`, wire version (u16), kind (u8) and a
/// reserved byte (0).
public enum FrameKind: UInt8, Sendable {
    /// Coordinator → stage: one step's rows.
    case stepRequest = 1
    /// Last stage → coordinator: the sampled tokens.
    case sampledTokens = 2
    /// Other stages → coordinator: the hidden states to relay to the next stage.
    case hiddenStates = 3
    /// Worker → coordinator: the answer to a handshake.
    case handshake = 4
}

enum FrameHeader {
    static let magic: [UInt8] = Array("STRW".utf8)
    static let size = 8

    static func write(_ kind: FrameKind, into writer: inout WireWriter) {
        for byte in magic { writer.u8(byte) }
        writer.integer(ClusterVersion.wire)
        writer.u8(kind.rawValue)
        writer.u8(0)
    }

    /// Reads and checks a header; returns the frame's kind.
    static func read(from reader: inout WireReader) throws(WireError) -> FrameKind {
        var magicBytes: [UInt8] = []
        for _ in 0 ..< 4 { magicBytes.append(try reader.u8("magic")) }
        guard magicBytes == magic else { throw .badMagic }
        let version = try reader.integer(UInt16.self, "version")
        guard version == ClusterVersion.wire else { throw .unsupportedVersion(version) }
        let rawKind = try reader.u8("kind")
        guard let kind = FrameKind(rawValue: rawKind) else {
            throw .invalidField("kind", reason: "unknown frame kind \(rawKind)")
        }
        _ = try reader.u8("reserved")
        return kind
    }

    /// Reads a header that must be of `expected` kind.
    static func read(_ expected: FrameKind, from reader: inout WireReader) throws(WireError) {
        let kind = try read(from: &reader)
        guard kind == expected else { throw .unexpectedKind(kind.rawValue, expected: expected.rawValue) }
    }
}
