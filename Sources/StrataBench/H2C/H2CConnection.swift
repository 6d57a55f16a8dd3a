import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// One plaintext TCP connection speaking HTTP/2 from its first byte (prior knowledge, h2c):
/// the client preface and SETTINGS go out as soon as it connects. Each request is a stream on it.
final class H2CConnection: Sendable {
    /// The TCP channel.
    let channel: any Channel
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer

    private init(channel: any Channel, multiplexer: NIOHTTP2Handler.StreamMultiplexer) {
        self.channel = channel
        self.multiplexer = multiplexer
    }

    /// Connects to `host:port` within `timeout` and sets up HTTP/2 as a client. The server may
    /// not push; pushed streams would be closed at once.
    static func connect(host: String, port: Int, timeout: TimeAmount, group: any EventLoopGroup) -> EventLoopFuture<H2CConnection> {
        ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port)
            .flatMap { channel in
                channel.eventLoop.makeCompletedFuture {
                    var connection = NIOHTTP2Handler.ConnectionConfiguration()
                    connection.initialSettings = nioDefaultSettings + [HTTP2Setting(parameter: .enablePush, value: 0)]
                    let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: connection, streamConfiguration: .init()
                    ) { pushed in pushed.close() }
                    return H2CConnection(channel: channel, multiplexer: multiplexer)
                }
            }
    }

    /// Opens a stream whose response goes to `parts`, and sends `head` and `body` on it.
    /// Returns the stream's channel (closing it resets the stream).
    func send(
        head: HTTPRequestHead, body: [UInt8], parts: H2CResponseHandler.Parts, idleTimeout: TimeAmount, deadline: NIODeadline
    ) -> EventLoopFuture<any Channel> {
        multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(
                    H2CResponseHandler(parts: parts, idleTimeout: idleTimeout, deadline: deadline)
                )
            }
        }.map { stream in
            stream.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty { stream.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            stream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return stream
        }
    }
}
