import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A minimal HTTP/2 client for plaintext servers that accept HTTP/2 with prior knowledge (h2c),
/// which AsyncHTTPClient cannot speak. Concurrent requests are multiplexed as streams over a
/// few connections (`H2CPoolState` picks the least-loaded one); a connection that fails or
/// closes is replaced on next use, never retried for a request already sent.
public final class H2CClient: Sendable {
    /// The server's host.
    public let host: String
    /// The server's port.
    public let port: Int
    private let group: any EventLoopGroup
    private let connectTimeout: TimeAmount
    private let pool: Mutex<H2CPoolState<EventLoopFuture<H2CConnection>>>

    /// The streams one connection carries before another is opened: the HTTP/2 default most
    /// servers advertise as their concurrent-stream limit (swift-nio-http2's included).
    public static let streamsPerConnection = 100

    /// A client for `host:port` with up to `connections` connections, opened on first use.
    public init(
        host: String, port: Int, connections: Int = 1, connectTimeout: TimeAmount = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.group = group
        self.connectTimeout = connectTimeout
        self.pool = Mutex(H2CPoolState(slots: connections))
    }

    /// Enough connections for `concurrency` requests at once: one per `streamsPerConnection`.
    public static func connections(forConcurrency concurrency: Int) -> Int {
        max(1, (concurrency + streamsPerConnection - 1) / streamsPerConnection)
    }

    /// Streams open on each connection slot (for tests and diagnostics).
    public var streamCounts: [Int] { pool.withLock { $0.streamCounts } }

    /// Sends a request on a new stream and returns its response as it arrives: the head, then
    /// body pieces. The stream fails with an `H2CError` when the response falls silent for
    /// `timeout` or the request outlives it, or the stream or connection closes before the end.
    /// Throws when no connection can be made. Ending the iteration early resets the stream.
    public func send(
        method: HTTPMethod = .POST, path: String, headers: HTTPHeaders, body: [UInt8], timeout: TimeAmount
    ) async throws(H2CError) -> AsyncThrowingStream<H2CResponsePart, any Error> {
        let deadline = NIODeadline.now() + timeout
        let (slot, pending) = try acquire()
        let connection: H2CConnection
        do {
            connection = try await pending.get()
        } catch {
            pool.withLock { $0.release(slot: slot) }
            throw .connect(address: "\(host):\(port)", reason: String(describing: error))
        }
        var allHeaders = headers
        allHeaders.replaceOrAdd(name: "host", value: "\(host):\(port)")
        allHeaders.replaceOrAdd(name: "content-length", value: String(body.count))
        let head = HTTPRequestHead(version: .http2, method: method, uri: path, headers: allHeaders)
        let (parts, continuation) = AsyncThrowingStream.makeStream(of: H2CResponsePart.self)
        let stream = connection.channel.eventLoop.makePromise(of: (any Channel).self)
        continuation.onTermination = { [self] _ in
            self.pool.withLock { $0.release(slot: slot) }
            stream.futureResult.whenSuccess { $0.close(promise: nil) }
        }
        stream.futureResult.whenFailure { error in
            continuation.finish(throwing: H2CError.streamClosed("cannot open a stream: \(error)"))
        }
        connection.send(head: head, body: body, parts: continuation, idleTimeout: timeout, deadline: deadline).cascade(to: stream)
        return parts
    }

    /// Closes every connection; later requests fail with `shutDown`.
    public func shutdown() async {
        let connections = pool.withLock { $0.shutDown() }
        for pending in connections {
            if let connection = try? await pending.get() { try? await connection.channel.close() }
        }
    }

    /// The slot for a new request and its (possibly still pending) connection.
    private func acquire() throws(H2CError) -> (Int, EventLoopFuture<H2CConnection>) {
        let (host, port, group, connectTimeout) = (host, port, group, connectTimeout)
        let picked: (Int, Int?, EventLoopFuture<H2CConnection>)? = pool.withLock { state in
            switch state.acquire() {
            case nil:
                return nil
            case .use(let slot, let connection)?:
                return (slot, nil, connection)
            case .connect(let slot, let generation)?:
                let connection = H2CConnection.connect(host: host, port: port, timeout: connectTimeout, group: group)
                state.connecting(slot: slot, generation: generation, connection: connection)
                return (slot, generation, connection)
            }
        }
        guard let picked else { throw .shutDown }
        let (slot, generation, connection) = picked
        if let generation {
            connection.whenComplete { [self] result in
                switch result {
                case .failure:
                    self.pool.withLock { $0.lost(slot: slot, generation: generation) }
                case .success(let open):
                    open.channel.closeFuture.whenComplete { _ in self.pool.withLock { $0.lost(slot: slot, generation: generation) } }
                }
            }
        }
        return (slot, connection)
    }
}
