import AsyncHTTPClient
import NIOCore

/// How a benchmark's requests reach the server: AsyncHTTPClient for HTTP/1.1 (and HTTP/2 by
/// ALPN over `https://`), or `H2CClient` for HTTP/2 with prior knowledge over plain `http://`.
public enum BenchTransport: Sendable {
    /// AsyncHTTPClient.
    case httpClient(HTTPClient)
    /// h2c: streams multiplexed over a few connections.
    case h2c(H2CClient)

    /// The transport for `target` with `concurrency` requests in flight: h2c when HTTP/2 is
    /// asked for over `http://`, else AsyncHTTPClient.
    public static func make(for target: TargetServer, concurrency: Int) -> BenchTransport {
        if target.http2, let address = target.address, address.scheme == "http" {
            return .h2c(H2CClient(
                host: address.host, port: address.port, connections: H2CClient.connections(forConcurrency: concurrency)
            ))
        }
        return .httpClient(RequestRunner.makeClient(for: target, concurrency: concurrency))
    }

    /// Closes the transport's connections.
    public func shutdown() async {
        switch self {
        case .httpClient(let client): try? await client.shutdown()
        case .h2c(let client): await client.shutdown()
        }
    }
}
