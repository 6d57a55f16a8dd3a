import NIOCore
import NIOTLS

/// Sits between the TLS handler and the protocol negotiation handler until ALPN has chosen a
/// protocol, and closes a connection told to quiesce (graceful shutdown) before then: no HTTP
/// handler exists yet to finish it, and no request can be pending on it. When the handshake
/// completes it passes the result on and removes itself.
final class UnnegotiatedConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            context.close(promise: nil)
        case is TLSUserEvent:
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }
}
