import NIOCore
import NIOEmbedded
import NIOTLS
import Testing
@testable import StrataServer

/// The handlers that close a connection nobody can still be waiting on: before its protocol is
/// known (so a graceful shutdown is not held by it), and an HTTP/1.1 connection whose client
/// has ended its side (so a request it was waiting for is cancelled).
@Suite struct ConnectionClosureTests {
    /// Counts the user events that reach the end of the pipeline.
    private final class EventRecorder: ChannelInboundHandler {
        typealias InboundIn = NIOAny
        var events: [String] = []

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            events.append(String(describing: event))
        }
    }

    private func activeChannel(_ handlers: [any ChannelHandler]) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(handlers)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test func detectorClosesAConnectionToldToQuiesceBeforeItsFirstByte() throws {
        let channel = try activeChannel([HTTP2PriorKnowledgeDetector()])
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!channel.isActive)
    }

    @Test func detectorClosesAConnectionWhoseClientLeavesMidPreface() throws {
        let channel = try activeChannel([HTTP2PriorKnowledgeDetector()])
        try channel.writeInbound(ByteBuffer(string: "PRI * HTTP"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func detectorPassesBytesOnAndLeavesOnceTheProtocolIsKnown() throws {
        let recorder = EventRecorder()
        let channel = try activeChannel([HTTP2PriorKnowledgeDetector(), recorder])
        try channel.writeInbound(ByteBuffer(string: "GET /health HTTP/1.1\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "GET /health HTTP/1.1\r\n"))
        #expect(recorder.events.count == 1)
        // From now on quiescing is the HTTP handlers' business: the detector is gone.
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(channel.isActive)
        #expect(recorder.events.count == 2)
        _ = try channel.finish()
    }

    @Test func tlsCloserClosesOnQuiesceUntilTheHandshakeCompletes() throws {
        let quiesced = try activeChannel([UnnegotiatedConnectionCloser()])
        quiesced.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!quiesced.isActive)

        let recorder = EventRecorder()
        let negotiated = try activeChannel([UnnegotiatedConnectionCloser(), recorder])
        negotiated.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: "h2"))
        negotiated.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(negotiated.isActive)
        #expect(recorder.events.count == 2)
        _ = try negotiated.finish()
    }

    @Test func http1ConnectionClosesWhenItsClientEndsItsSide() throws {
        let recorder = EventRecorder()
        let channel = try activeChannel([HTTP1PeerClosureHandler(), recorder])
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(channel.isActive)
        #expect(recorder.events.count == 1)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
    }
}
