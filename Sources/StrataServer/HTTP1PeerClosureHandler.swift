import NIOCore

/// Closes an HTTP/1.1 connection as soon as the client ends its side of it (a FIN: the client
/// closed the socket or shut down its writing half).
///
/// Hummingbird keeps such a half-closed connection open until the current response is written,
/// and reads nothing from it meanwhile, so a client that leaves during a long non-streamed
/// completion would go unnoticed and the engine would finish generating for nobody. Closing
/// the connection completes its close future, which cancels the request's generation. HTTP/1.1
/// has no way to send a request and then wait with the writing half closed that clients rely
/// on; uvicorn, under vLLM, treats the end of input as a disconnect the same way.
final class HTTP1PeerClosureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
