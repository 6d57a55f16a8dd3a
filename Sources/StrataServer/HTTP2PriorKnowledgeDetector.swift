import NIOCore
import NIOTLS

/// Tells HTTP/2 with prior knowledge (h2c) from HTTP/1.1 on a plaintext connection by its first
/// bytes: a client speaking h2c opens with the 24-byte connection preface
/// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`, which no HTTP/1.1 request starts with.
///
/// The decision is announced as the event a TLS handler sends after ALPN, so the protocol
/// negotiation handler that follows sets up the pipeline exactly as for `h2` or `http/1.1`
/// over TLS; the bytes read so far are passed on unchanged and this handler removes itself.
///
/// Until the decision no HTTP handler is in the pipeline to act on the end of a connection, so
/// this handler closes a connection that is told to quiesce (graceful shutdown) or whose peer
/// closes its side before the protocol is known: no request can be pending on it, and left
/// open it would hold the server's shutdown until the drain timeout.
final class HTTP2PriorKnowledgeDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// What the first bytes say.
    enum Decision: Equatable {
        case needMoreBytes
        case http2
        case http1
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private var buffered: ByteBuffer?

    /// The decision for a connection that has sent `bytes` so far.
    static func decide(_ bytes: some Collection<UInt8>) -> Decision {
        let count = min(bytes.count, preface.count)
        guard bytes.prefix(count).elementsEqual(preface.prefix(count)) else { return .http1 }
        return count == preface.count ? .http2 : .needMoreBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        var bytes: ByteBuffer
        if var earlier = buffered {
            earlier.writeBuffer(&incoming)
            bytes = earlier
        } else {
            bytes = incoming
        }
        let decision = Self.decide(bytes.readableBytesView)
        guard decision != .needMoreBytes else {
            buffered = bytes
            return
        }
        buffered = nil
        let negotiated = decision == .http2 ? "h2" : "http/1.1"
        context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: negotiated))
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent, ChannelEvent.inputClosed:
            buffered = nil
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffered = nil
        context.fireChannelInactive()
    }
}
