import NIOCore
import NIOHTTP1

/// The status and body of one HTTP/2 response.
struct StageReply: Sendable {
    var status: Int
    var body: [UInt8]
    /// The worker's compute time for a step, when it reported one.
    var computeNanoseconds: UInt64?
}

/// Collects one response on a client stream channel and completes `promise` with it; a stream
/// that closes or fails before the end fails the promise.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<StageReply>
    private var status = 0
    private var computeNanoseconds: UInt64?
    private var body = ByteBuffer()
    private var done = false

    init(promise: EventLoopPromise<StageReply>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            status = Int(head.status.code)
            computeNanoseconds = head.headers.first(name: WorkerRouter.computeHeader).flatMap { UInt64($0) }
        case var .body(chunk):
            body.writeBuffer(&chunk)
        case .end:
            finish(.success(StageReply(status: status, body: body.readBytes(length: body.readableBytes) ?? [],
                                       computeNanoseconds: computeNanoseconds)))
            // The stream closes itself now that both sides ended it; closing it here would reset
            // it, and a peer counting resets closes the connection after 200 of them.
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ClusterError.unreachable(address: "", reason: "the stream closed before the response ended")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(ClusterError.unreachable(address: "", reason: "\(error)")))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<StageReply, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }
}
