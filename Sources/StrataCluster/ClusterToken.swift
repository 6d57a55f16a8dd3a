import Foundation

/// The secret every coordinator request carries (`authorization: Bearer <token>`); a worker
/// refuses anything else with 401. Compared in constant time.
public struct ClusterToken: Sendable {
    private let bytes: [UInt8]

    /// A token of `value`; throws when it is empty.
    public init(_ value: String) throws(ClusterError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .configuration("the cluster token is empty") }
        bytes = Array(trimmed.utf8)
    }

    /// The token from `--cluster-token`, else the first line of `--cluster-token-file`, else
    /// `$STRATA_CLUSTER_TOKEN`; throws when none is given (a worker never runs without one).
    public static func resolve(value: String?, file: String?, environment: [String: String]) throws(ClusterError) -> ClusterToken {
        if let value { return try ClusterToken(value) }
        if let file {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .configuration("cannot read the cluster token file '\(file)'")
            }
            return try ClusterToken(contents.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? "")
        }
        if let env = environment["STRATA_CLUSTER_TOKEN"] { return try ClusterToken(env) }
        throw .configuration("no cluster token: pass --cluster-token, --cluster-token-file or set STRATA_CLUSTER_TOKEN")
    }

    /// The `authorization` header value carrying this token.
    public var headerValue: String { "Bearer " + String(decoding: bytes, as: UTF8.self) }

    /// Whether `header` (an `authorization` value) carries this token. The comparison's time
    /// depends only on the lengths, never on where the bytes differ.
    public func accepts(header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let offered = Array(header.utf8.dropFirst(7))
        var difference = UInt8(offered.count == bytes.count ? 0 : 1)
        for index in 0 ..< bytes.count {
            difference |= bytes[index] ^ (index < offered.count ? offered[index] : 0)
        }
        return difference == 0
    }
}
