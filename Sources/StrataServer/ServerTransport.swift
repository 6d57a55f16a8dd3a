import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOHTTP2
import NIOSSL

/// How the server listens: address, TLS, timeouts.
public struct ServerTransport: Sendable {
    /// Host name or address to bind.
    public var host: String
    /// Port to bind (0 picks a free one).
    public var port: Int
    /// PEM certificate chain and private key; when both are set the server speaks TLS with
    /// ALPN (`h2`, `http/1.1`), else plaintext HTTP/1.1 and h2c on one port.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// How long an HTTP/2 connection with no open stream stays open.
    public var idleTimeout: Duration

    /// A transport; defaults to plaintext on 127.0.0.1:8080.
    public init(host: String = "127.0.0.1", port: Int = 8080, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, idleTimeout: Duration = .seconds(300)) {
        self.host = host
        self.port = port
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.idleTimeout = idleTimeout
    }

    /// The Hummingbird server builder for this transport.
    public func serverBuilder() throws(ServerSetupError) -> HTTPServerBuilder {
        // swift-nio-http2's defaults stay on: 100 concurrent streams per connection, header
        // list size 16 KiB, rapid-reset and header-flood protections; HTTP/1.1 heads are
        // limited by NIO's parser (80 KiB).
        let configuration = HTTP2ChannelConfiguration(idleTimeout: idleTimeout, gracefulCloseTimeout: .seconds(10))
        let security: NegotiatedHTTPChannel.Security
        switch (tlsCertificatePath, tlsKeyPath) {
        case (nil, nil):
            security = .plaintext
        case let (certificate?, key?):
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
                let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
                var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
                tls.applicationProtocols = NIOHTTP2SupportedALPNProtocols
                security = .tls(try NIOSSLContext(configuration: tls))
            } catch {
                throw ServerSetupError("cannot set up TLS from '\(certificate)' and '\(key)': \(error)")
            }
        default:
            throw ServerSetupError("--tls-cert and --tls-key must be given together")
        }
        return HTTPServerBuilder { responder in
            NegotiatedHTTPChannel(security: security, responder: responder, configuration: configuration)
        }
    }

    /// Hummingbird's application configuration for this address.
    public var applicationConfiguration: ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: port), serverName: "strata")
    }
}
