import NIOCore
import NIOHTTP1

/// The last handler of one h2c request stream: passes the response head and body pieces on to
/// the request's async stream as they arrive, and ends it when the response ends, the stream
/// closes early (reset, connection lost), the response falls silent for `idleTimeout`, or the
/// request outlives `deadline`. A timeout closes the stream, which resets it on the wire.
final class H2CResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias Parts = AsyncThrowingStream<H2CResponsePart, any Error>.Continuation

    private let parts: Parts
    private let idleTimeout: TimeAmount
    private let deadline: NIODeadline
    private var idleTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    private var lastError: (any Error)?
    private var ended = false

    /// A handler feeding `parts`.
    init(parts: Parts, idleTimeout: TimeAmount, deadline: NIODeadline) {
        self.parts = parts
        self.idleTimeout = idleTimeout
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        deadlineTimer = loop.scheduleTask(deadline: deadline) { [self] in
            end(context: context, failure: .timeout("the request took longer than the timeout"))
        }
        restartIdleTimer(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ended else { return }
        restartIdleTimer(context: context)
        switch unwrapInboundIn(data) {
        case .head(let head):
            parts.yield(.head(status: Int(head.status.code), reason: head.status.reasonPhrase))
        case .body(let buffer):
            parts.yield(.body(Array(buffer.readableBytesView)))
        case .end:
            ended = true
            cancelTimers()
            parts.finish()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The stream closes after an error (a reset, a protocol error); report it then.
        lastError = error
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = lastError.map { String(describing: $0) } ?? "closed before the response ended"
        end(context: context, failure: .streamClosed(reason))
        context.fireChannelInactive()
    }

    private func end(context: ChannelHandlerContext, failure: H2CError) {
        guard !ended else { return }
        ended = true
        cancelTimers()
        parts.finish(throwing: failure)
        context.close(promise: nil)
    }

    private func restartIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [self] in
            end(context: context, failure: .timeout("no response data for \(idleTimeout.nanoseconds / 1_000_000) ms"))
        }
    }

    private func cancelTimers() {
        idleTimer?.cancel()
        deadlineTimer?.cancel()
        idleTimer = nil
        deadlineTimer = nil
    }
}
