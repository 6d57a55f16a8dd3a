import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// A worker's HTTP/2 (h2c, prior knowledge) server: one stage of a pipeline, as a `Service`.
/// Each connection and each stream handles its own errors; graceful shutdown closes the listener
/// and the open connections.
public final class WorkerServer: Service, Sendable {
    private typealias Stream = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    private typealias Connection = NIOHTTP2Handler.AsyncStreamMultiplexer<Stream>

    private let listener: NIOAsyncChannel<Connection, Never>
    private let router: WorkerRouter
    /// The address the server listens on (with the port chosen when 0 was asked).
    public let localAddress: SocketAddress

    /// Binds `host:port` on `group`, speaking TLS with `tls` when given (else h2c); throws when the
    /// address is taken or invalid.
    public init(host: String, port: Int, token: ClusterToken, handshake: Handshake, stage: StageExecutor,
                tls: NIOSSLContext? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws {
        router = WorkerRouter(token: token, handshake: handshake, runner: StageRunner(stage))
        listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    return try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
                        mode: .server, configuration: .cluster
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                            return try Stream(wrappingChannelSynchronously: stream)
                        }
                    }
                }
            }
        guard let address = listener.channel.localAddress else {
            throw ClusterError.configuration("the listener has no local address")
        }
        localAddress = address
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        do {
            try await serveConnections()
        } catch is CancellationError {
            // Graceful shutdown or cancellation: the listener and connections are closed.
        }
    }

    private func serveConnections() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                try await self.listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        }
    }

    private func serve(_ connection: Connection) async {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                for try await stream in connection.inbound {
                    group.addTask { await self.handle(stream) }
                }
            }
        } catch {
            // A connection that fails ends alone; the coordinator reconnects.
        }
    }

    private func handle(_ stream: Stream) async {
        do {
            try await stream.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var refusal: WorkerReply?
                reading: for try await part in inbound {
                    switch part {
                    case let .head(requestHead):
                        head = requestHead
                        refusal = router.admit(requestHead)
                    case var .body(chunk):
                        guard refusal == nil else { continue }
                        if body.readableBytes + chunk.readableBytes > WorkerRouter.maxBodyBytes {
                            refusal = .text(.payloadTooLarge, "a step frame is at most \(WorkerRouter.maxBodyBytes) bytes")
                        } else {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        break reading
                    }
                }
                guard let head else { return }
                let reply: WorkerReply
                if let refusal {
                    reply = refusal
                } else {
                    reply = await router.respond(to: head, body: body.readBytes(length: body.readableBytes) ?? [])
                }
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: reply.contentType)
                headers.add(name: "content-length", value: String(reply.body.count))
                if let nanoseconds = reply.computeNanoseconds {
                    headers.add(name: WorkerRouter.computeHeader, value: String(nanoseconds))
                }
                // One write, so the reply leaves in one flush.
                try await outbound.write(contentsOf: [
                    .head(HTTPResponseHead(version: .http2, status: reply.status, headers: headers)),
                    .body(.byteBuffer(ByteBuffer(bytes: reply.body))),
                    .end(nil),
                ])
            }
        } catch {
            // A stream that fails (peer reset, connection lost) ends alone.
        }
    }
}
