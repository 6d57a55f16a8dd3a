import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// One HTTP/2 (h2c, prior knowledge) connection from the coordinator to a worker. Requests are
/// streams on it; each completes with the worker's reply, or fails when the connection drops or
/// the deadline passes.
final class StageConnection: Sendable {
    private let channel: any Channel
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer

    private init(channel: any Channel, multiplexer: NIOHTTP2Handler.StreamMultiplexer) {
        self.channel = channel
        self.multiplexer = multiplexer
    }

    /// Whether the connection is still open.
    var isActive: Bool { channel.isActive }

    /// The event loop the connection's replies complete on.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Connects to `host:port` within `timeout`, over TLS with `tls` when given (else h2c).
    static func connect(host: String, port: Int, timeout: TimeAmount, group: any EventLoopGroup,
                        tls: NIOSSLContext? = nil) -> EventLoopFuture<StageConnection> {
        ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port)
            .flatMap { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // An IP address is verified against the certificate's IP names; SNI needs a name.
                        let name = host.first(where: { $0.isLetter }) == nil || host.contains(":") ? nil : host
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: NIOHTTP2Handler.Configuration.cluster.connection,
                        streamConfiguration: NIOHTTP2Handler.Configuration.cluster.stream
                    ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    return StageConnection(channel: channel, multiplexer: multiplexer)
                }
            }
    }

    /// Sends `method path` with `headers` and `body` on a new stream; the reply, or a failure
    /// when the stream or connection ends first or `deadline` passes.
    func request(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8], deadline: NIODeadline) -> EventLoopFuture<StageReply> {
        let eventLoop = channel.eventLoop
        let promise = eventLoop.makePromise(of: StageReply.self)
        let timeout = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(ClusterError.unreachable(address: "", reason: "no reply before the step deadline"))
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
            }
        }.whenComplete { result in
            switch result {
            case let .failure(error):
                promise.fail(ClusterError.unreachable(address: "", reason: "cannot open a stream: \(error)"))
            case let .success(stream):
                var allHeaders = headers
                allHeaders.add(name: "content-length", value: String(body.count))
                let head = HTTPRequestHead(version: .http2, method: method, uri: path, headers: allHeaders)
                stream.write(HTTPClientRequestPart.head(head), promise: nil)
                if !body.isEmpty { stream.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
                stream.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { error in
                    promise.fail(ClusterError.unreachable(address: "", reason: "cannot send: \(error)"))
                }
                // A stream outliving its deadline is closed, which resets it on the wire.
                promise.futureResult.whenFailure { _ in stream.close(promise: nil) }
            }
        }
        return promise.futureResult
    }

    /// Closes the connection.
    func close() {
        channel.close(promise: nil)
    }
}
