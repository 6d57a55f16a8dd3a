import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The coordinator's link to one worker: a connection made on demand (reconnecting with backoff
/// after a loss), the handshake of the worker behind it, and requests carrying the cluster token
/// and the expected model digest.
public final class StageClient: Sendable {
    /// The worker's address.
    public let address: WorkerAddress
    private let token: ClusterToken
    private let modelDigest: [UInt8]
    private let group: any EventLoopGroup
    private let connectTimeout: TimeAmount
    private let tls: NIOSSLContext?
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var connection: StageConnection?
        var handshake: Handshake?
        var backoff = Backoff()
        var lastError: ClusterError?
    }

    /// A client of the worker at `address` serving the model of `modelDigest`, over TLS with `tls`
    /// when given (else h2c).
    public init(address: WorkerAddress, token: ClusterToken, modelDigest: [UInt8], tls: NIOSSLContext? = nil,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: TimeAmount = .seconds(2)) {
        self.tls = tls
        self.address = address
        self.token = token
        self.modelDigest = modelDigest
        self.group = group
        self.connectTimeout = connectTimeout
    }

    /// Whether the connection is up and the worker has answered its handshake.
    public var isConnected: Bool { state.withLock { $0.connection?.isActive == true && $0.handshake != nil } }

    /// The last failure, while not connected.
    public var lastError: ClusterError? { state.withLock { $0.connection?.isActive == true ? nil : $0.lastError } }

    private var headers: HTTPHeaders {
        ["host": address.description, "authorization": token.headerValue,
         WorkerRouter.digestHeader: ModelDigest.hex(modelDigest)]
    }

    /// The open connection and the worker's handshake, connecting (and handshaking) first when
    /// there is none. Within a backoff period after a failure, fails at once.
    func connected(deadline: NIODeadline) -> EventLoopFuture<(StageConnection, Handshake)> {
        let eventLoop = group.next()
        let now = ContinuousClock.now
        let address = address, headers = headers
        let current = state.withLock { state -> Result<(StageConnection, Handshake)?, ClusterError> in
            if let connection = state.connection, connection.isActive, let handshake = state.handshake {
                return .success((connection, handshake))
            }
            state.connection?.close()
            state.connection = nil
            state.handshake = nil
            guard state.backoff.mayAttempt(at: now) else {
                return .failure(state.lastError ?? .unreachable(address: address.description, reason: "reconnecting"))
            }
            return .success(nil)
        }
        switch current {
        case let .failure(error): return eventLoop.makeFailedFuture(error)
        case let .success(pair?): return eventLoop.makeSucceededFuture(pair)
        case .success(nil): break
        }
        return StageConnection.connect(host: address.host, port: address.port, timeout: connectTimeout, group: group, tls: tls)
            .flatMapError { error in
                eventLoop.makeFailedFuture(ClusterError.unreachable(address: address.description, reason: "\(error)"))
            }
            .flatMap { connection in
                connection.request(.GET, "/v1/handshake", headers: headers, body: [], deadline: deadline)
                    .flatMapThrowing { reply in
                        (connection, try Self.decode(reply, from: address, Handshake.init(decoding:)))
                    }
                    .flatMapErrorThrowing { error in
                        connection.close()
                        throw Self.named(error, address)
                    }
            }
            .always { [self] result in
                state.withLock { state in
                    switch result {
                    case let .success((connection, handshake)):
                        state.connection?.close()
                        state.connection = connection
                        state.handshake = handshake
                        state.backoff.succeeded()
                        state.lastError = nil
                    case let .failure(error):
                        state.backoff.failed(at: .now)
                        state.lastError = error as? ClusterError
                    }
                }
            }
    }

    /// Posts a step frame on `connection` (from `connected`); the worker's reply (status 200).
    func step(_ frame: [UInt8], on connection: StageConnection, deadline: NIODeadline) -> EventLoopFuture<StageReply> {
        let address = address
        return connection.request(.POST, "/v1/step", headers: headers, body: frame, deadline: deadline)
            .flatMapThrowing { reply in
                _ = try Self.decode(reply, from: address) { $0 }
                return reply
            }
            .flatMapErrorThrowing { error in
                if case ClusterError.refused = error { throw error }
                connection.close()  // a lost or late step leaves the connection suspect
                throw Self.named(error, address)
            }
    }

    /// The worker's handshake and its statistics (`GET /v1/status`), connecting first when
    /// there is no connection.
    public func status(deadline: NIODeadline) async throws(ClusterError) -> (Handshake, WorkerStatistics) {
        let address = address
        do {
            let (connection, handshake) = try await connected(deadline: deadline).get()
            let reply = try await connection.request(.GET, "/v1/status", headers: headers, body: [], deadline: deadline).get()
            let body = try Self.decode(reply, from: address) { $0 }
            do {
                return (handshake, try JSONDecoder().decode(WorkerStatistics.self, from: Data(body)))
            } catch {
                throw ClusterError.unreachable(address: address.description, reason: "unreadable status: \(error)")
            }
        } catch {
            throw Self.named(error, address)
        }
    }

    /// Forgets the connection (the next use reconnects).
    public func disconnect() {
        state.withLock { state in
            state.connection?.close()
            state.connection = nil
            state.handshake = nil
        }
    }

    private static func decode<T>(_ reply: StageReply, from address: WorkerAddress, _ decode: ([UInt8]) throws(WireError) -> T) throws(ClusterError) -> T {
        guard reply.status == 200 else {
            throw .refused(address: address.description, status: reply.status,
                           message: String(decoding: reply.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do { return try decode(reply.body) } catch { throw .malformed(address: address.description, error) }
    }

    /// `error` as a `ClusterError` naming `address`.
    private static func named(_ error: any Error, _ address: WorkerAddress) -> ClusterError {
        switch error {
        case let ClusterError.unreachable(_, reason): .unreachable(address: address.description, reason: reason)
        case let error as ClusterError: error
        default: .unreachable(address: address.description, reason: "\(error)")
        }
    }
}
