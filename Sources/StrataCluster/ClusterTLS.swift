import NIOSSL

/// TLS between coordinator and workers (HTTP/2 negotiated by ALPN). Without it, the cluster
/// speaks h2c and belongs on a private network.
public enum ClusterTLS {
    /// A worker's server context from a PEM certificate chain and its PEM private key.
    public static func server(certificatePath: String, keyPath: String) throws(ClusterError) -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
            configuration.applicationProtocols = ["h2"]
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .configuration("cannot use --tls-cert '\(certificatePath)' / --tls-key '\(keyPath)': \(error)")
        }
    }

    /// The coordinator's client context, trusting the certificates in the PEM file at `trustPath`
    /// (a CA, or the workers' own self-signed certificate); names and IP addresses are verified.
    public static func client(trustPath: String) throws(ClusterError) -> NIOSSLContext {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustPath))
            configuration.applicationProtocols = ["h2"]
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .configuration("cannot use --tls-ca '\(trustPath)': \(error)")
        }
    }
}
