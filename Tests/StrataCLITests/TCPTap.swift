import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay in front of a server that records how each client connection began, so a test
/// can tell which protocol a client really spoke: an h2c client's first bytes are the HTTP/2
/// connection preface, an HTTP/1.1 client's a request line.
final class TCPTap: Sendable {
    /// The HTTP/2 client connection preface.
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// The first bytes (up to 24) of each client connection, in accept order.
    final class Openings: Sendable {
        private let state = Mutex<[[UInt8]]>([])
        var all: [[UInt8]] { state.withLock { $0 } }
        func add() -> Int { state.withLock { $0.append([]); return $0.count - 1 } }
        func append(_ bytes: some Sequence<UInt8>, to index: Int) {
            state.withLock { $0[index] += bytes.prefix(max(0, TCPTap.preface.count - $0[index].count)) }
        }
    }

    let port: Int
    let openings: Openings
    private let listener: any Channel

    /// Relays 127.0.0.1:`port` (a free port) to 127.0.0.1:`target`.
    init(target: Int) async throws {
        let openings = Openings()
        self.openings = openings
        let group = MultiThreadedEventLoopGroup.singleton
        listener = try await ServerBootstrap(group: group)
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelInitializer { inbound in
                let index = openings.add()
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: target)
                    .flatMap { outbound in
                        inbound.eventLoop.makeCompletedFuture {
                            try inbound.pipeline.syncOperations.addHandler(Relay(partner: outbound, record: { openings.append($0, to: index) }))
                            try outbound.pipeline.syncOperations.addHandler(Relay(partner: inbound, record: nil))
                            try inbound.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = listener.localAddress?.port ?? 0
    }

    /// Connections that began with the HTTP/2 preface, and all connections.
    var counts: (http2: Int, total: Int) {
        let all = openings.all
        return (all.filter { $0 == Self.preface }.count, all.count)
    }

    func stop() async {
        try? await listener.close()
    }
}

/// Copies what one side reads to the other, and closes the other when this side closes.
private final class Relay: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let record: (@Sendable ([UInt8]) -> Void)?

    init(partner: any Channel, record: (@Sendable ([UInt8]) -> Void)?) {
        self.partner = partner
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        record?(Array(buffer.readableBytesView))
        partner.writeAndFlush(buffer, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
