import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import Synchronization

/// A tiny local OpenAI-like server for the client tests, speaking HTTP/1.1 or h2c (prior
/// knowledge). Each request's `prompt` says how to answer:
/// `ok` (a short SSE stream, ended after `okDelay`), `status:NNN` (an OpenAI error body),
/// `malformed` (SSE that is not JSON), `incomplete` (a chunk, then the end without `[DONE]`),
/// `cut` (a chunk, then the connection or stream is dropped), `silent` (200, then nothing),
/// `hang` (no answer at all).
final class ScriptedServer: Sendable {
    enum Mode: Sendable { case http1, h2c }

    /// What the server saw.
    struct Seen: Sendable {
        var connections = 0
        var requests = 0
        var http2Requests = 0
        /// Most requests open at once on one connection.
        var maxStreamsPerConnection = 0
    }

    /// `Seen`, shared by the connections.
    final class Log: Sendable {
        let state = Mutex(Seen())
        func withLock<T: Sendable>(_ body: (inout Seen) -> T) -> T { state.withLock { body(&$0) } }
    }

    let port: Int
    private let channel: any Channel
    private let seen: Log

    /// Starts a server on a free port of 127.0.0.1.
    init(mode: Mode, okDelay: TimeAmount = .milliseconds(300)) async throws {
        let seen = Log()
        self.seen = seen
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                seen.withLock { $0.connections += 1 }
                let connection = ConnectionStreams()
                return channel.eventLoop.makeCompletedFuture {
                    switch mode {
                    case .http1:
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            ScriptHandler(seen: seen, connection: connection, okDelay: okDelay, http2: false)
                        )
                    case .h2c:
                        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { stream in
                            stream.eventLoop.makeCompletedFuture {
                                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                                try stream.pipeline.syncOperations.addHandler(
                                    ScriptHandler(seen: seen, connection: connection, okDelay: okDelay, http2: true)
                                )
                            }
                        }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// What the server saw so far.
    var observed: Seen { seen.withLock { $0 } }

    func stop() async {
        try? await channel.close()
    }

    /// The requests open on one connection.
    final class ConnectionStreams: Sendable {
        private let open = Mutex(0)
        func opened() -> Int { open.withLock { $0 += 1; return $0 } }
        func closed() { open.withLock { $0 -= 1 } }
    }
}

/// Answers one request (HTTP/1.1: each request on the connection) as its prompt says.
private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let seen: ScriptedServer.Log
    private let connection: ScriptedServer.ConnectionStreams
    private let okDelay: TimeAmount
    private let http2: Bool
    private var body: [UInt8] = []

    init(seen: ScriptedServer.Log, connection: ScriptedServer.ConnectionStreams, okDelay: TimeAmount, http2: Bool) {
        self.seen = seen
        self.connection = connection
        self.okDelay = okDelay
        self.http2 = http2
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            let open = connection.opened()
            seen.withLock {
                $0.requests += 1
                if http2 { $0.http2Requests += 1 }
                $0.maxStreamsPerConnection = max($0.maxStreamsPerConnection, open)
            }
            let prompt = ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["prompt"] as? String ?? ""
            answer(prompt, context: context)
        }
    }

    private static func chunk(_ text: String, finish: String? = nil, usage: Bool = false) -> String {
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        let usageJSON = usage ? #","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}"# : ""
        return #"data: {"choices":[{"index":0,"text":"\#(text)","finish_reason":\#(reason)}]\#(usageJSON)}"# + "\n\n"
    }

    private func head(_ status: HTTPResponseStatus, _ type: String, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("content-type", type)])
        if !http2 { headers.add(name: "transfer-encoding", value: "chunked") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: http2 ? .http2 : .http1_1, status: status, headers: headers))), promise: nil)
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
    }

    private func end(context: ChannelHandlerContext) {
        connection.closed()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func answer(_ prompt: String, context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        switch prompt {
        case "ok":
            head(.ok, "text/event-stream", context: context)
            write(Self.chunk("a"), context: context)
            loop.scheduleTask(in: okDelay) { [self] in
                write(Self.chunk("b") + Self.chunk("", finish: "length", usage: true) + "data: [DONE]\n\n", context: context)
                end(context: context)
            }
        case let status where status.hasPrefix("status:"):
            let code = Int(status.dropFirst(7)) ?? 500
            head(HTTPResponseStatus(statusCode: code), "application/json", context: context)
            write(#"{"error":{"message":"scripted \#(code)","type":"test"}}"#, context: context)
            end(context: context)
        case "malformed":
            head(.ok, "text/event-stream", context: context)
            write("data: this is not json\n\n", context: context)
            end(context: context)
        case "incomplete":
            head(.ok, "text/event-stream", context: context)
            write(Self.chunk("a"), context: context)
            end(context: context)
        case "cut":
            head(.ok, "text/event-stream", context: context)
            write(Self.chunk("a"), context: context)
            connection.closed()
            loop.scheduleTask(in: .milliseconds(50)) { context.close(promise: nil) }
        case "silent":
            head(.ok, "text/event-stream", context: context)
            context.flush()
        default:
            break // "hang": never answer
        }
    }
}
