/// Where a worker listens: `HOST:PORT`, optionally written as `http://HOST:PORT`.
public struct WorkerAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `http://HOST:PORT[/]` or `https://HOST:PORT[/]` (TLS is chosen by the
    /// coordinator's `--tls-ca`, not by the scheme); throws on anything else.
    public init(parsing text: String) throws(ClusterError) {
        var rest = Substring(text)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.hasPrefix("https://") { rest = rest.dropFirst(8) }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (0 ... 65535).contains(port), colon > rest.startIndex
        else { throw .configuration("'\(text)' is not HOST:PORT") }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
