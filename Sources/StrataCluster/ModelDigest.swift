import Crypto
import Foundation

/// The identity workers and coordinator compare: the SHA-256 of the model file. It is read from a
/// `<model>.sha256` file beside the model when one exists (first 64 hex digits, as `sha256sum`
/// writes), else computed over the whole file once at start.
public enum ModelDigest {
    /// The 32-byte digest of the model at `path`.
    public static func of(path: String) throws(ClusterError) -> [UInt8] {
        if let recorded = try? String(contentsOfFile: path + ".sha256", encoding: .utf8),
           let digest = parse(hex: String(recorded.prefix(64))) {
            return digest
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .configuration("cannot read the model '\(path)'")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 8 << 20) } catch {
                throw .configuration("cannot read the model '\(path)': \(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return Array(hasher.finalize())
    }

    /// Lowercase hex of `digest`.
    public static func hex(_ digest: [UInt8]) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The 32 bytes spelled by 64 hex digits, nil otherwise.
    public static func parse(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index ..< index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
