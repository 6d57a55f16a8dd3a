import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS

/// A server connection that speaks HTTP/1.1 or HTTP/2, whichever the client chooses: over TLS
/// by ALPN, in plaintext by the first bytes (`HTTP2PriorKnowledgeDetector`: h2c with prior
/// knowledge beside HTTP/1.1 on one port). Hummingbird's own HTTP/1.1 or HTTP/2 channel then
/// takes the connection over.
///
/// Two things are added to what Hummingbird does: a connection that closes or is told to
/// quiesce before its protocol is known is closed at once (nothing can be pending on it, and
/// it would otherwise hold a graceful shutdown until the drain timeout), and an HTTP/1.1
/// client that ends its side of the connection is treated as gone (`HTTP1PeerClosureHandler`),
/// so a request it was waiting for is cancelled.
struct NegotiatedHTTPChannel: ServerChildChannel {
    typealias Negotiated = NIONegotiatedHTTPVersion<HTTP1Channel.Value, HTTP2Channel.Value>

    /// How the connection's protocol is chosen.
    enum Security: Sendable {
        /// Plaintext: HTTP/2 with prior knowledge or HTTP/1.1, told apart by the first bytes.
        case plaintext
        /// TLS with ALPN offering `h2` and `http/1.1`.
        case tls(NIOSSLContext)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    private let security: Security
    private let http1: HTTP1Channel
    private let http2: HTTP2Channel

    init(security: Security, responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP2ChannelConfiguration) {
        self.security = security
        http1 = HTTP1Channel(responder: responder, configuration: configuration.streamConfiguration)
        http2 = HTTP2Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let negotiation = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result in
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).map { .http2($0) }
                default:
                    return http1.setup(channel: channel, logger: logger).flatMapThrowing { connection in
                        try channel.pipeline.syncOperations.addHandler(HTTP1PeerClosureHandler(), position: .first)
                        return .http1_1(connection)
                    }
                }
            }
            let operations = channel.pipeline.syncOperations
            switch security {
            case .plaintext:
                try operations.addHandler(HTTP2PriorKnowledgeDetector())
            case let .tls(context):
                try operations.addHandler(NIOSSLServerHandler(context: context))
                try operations.addHandler(UnnegotiatedConnectionCloser())
            }
            try operations.addHandler(negotiation)
            return Value(negotiated: negotiation.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case let .http1_1(connection):
                await http1.handle(value: connection, logger: logger)
            case let .http2(connection):
                await http2.handle(value: connection, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its protocol was known: \(error)")
        }
    }
}
