import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to a target and records their timelines. Every failure (connection, timeout,
/// HTTP status, malformed stream) ends up in the record; `run` never throws. A request whose
/// task is cancelled (the grace period after an interrupt ran out) is recorded as `interrupted`.
public struct RequestRunner: Sendable {
    /// The target.
    public let target: TargetServer
    private let transport: BenchTransport
    private let clock: BenchClock

    /// A runner over `transport` (owned by the caller), timing against `clock`.
    public init(target: TargetServer, transport: BenchTransport, clock: BenchClock) {
        self.target = target
        self.transport = transport
        self.clock = clock
    }

    /// An HTTP client configured for `target`: its timeouts, HTTP/1.1 only unless HTTP/2 is
    /// allowed, enough connections per host for `concurrency` requests at once, and no retried
    /// connection attempts: a refused connection is a failure to count, not to wait out.
    public static func makeClient(for target: TargetServer, concurrency: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = target.http2 ? .automatic : .http1Only
        let timeout = TimeAmount.milliseconds(Int64(target.timeout * 1000))
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, concurrency)
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends `request` now and records it.
    public func run(_ request: BenchRequest, scheduledAt: Double, waitedForSlot: Bool) async -> RequestRecord {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: target.stream ? "text/event-stream" : "application/json")
        if let apiKey = target.apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        let body = Array(target.body(for: request))
        let start = clock.now()
        var recorder = StreamRecorder(
            record: RequestRecord(
                id: request.id, scheduledAt: scheduledAt, startedAt: start, waitedForSlot: waitedForSlot,
                estimatedInputTokens: request.estimatedInputTokens
            ),
            endpoint: target.endpoint, streamed: target.stream
        )
        var receivedHead = false
        do {
            switch transport {
            case .httpClient(let client):
                try await send(headers: headers, body: body, with: client, to: &recorder, receivedHead: &receivedHead)
            case .h2c(let client):
                try await send(headers: headers, body: body, with: client, to: &recorder, receivedHead: &receivedHead)
            }
        } catch {
            if !Task.isCancelled {
                recorder.fail(Self.kind(of: error, afterHead: receivedHead), String(describing: error), at: clock.now())
            }
        }
        if Task.isCancelled {
            recorder.fail(.interrupted, "cancelled when the grace period after the interrupt ended", at: clock.now())
        }
        recorder.finish(at: clock.now())
        return recorder.record
    }

    /// The HTTP/1.1 (or ALPN HTTP/2) path, through AsyncHTTPClient.
    private func send(
        headers: HTTPHeaders, body: [UInt8], with client: HTTPClient, to recorder: inout StreamRecorder, receivedHead: inout Bool
    ) async throws {
        var http = HTTPClientRequest(url: target.requestURL)
        http.method = .POST
        http.headers = headers
        http.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .milliseconds(Int64(target.timeout * 1000))
        let response = try await client.execute(http, deadline: deadline)
        receivedHead = true
        guard (200 ..< 300).contains(Int(response.status.code)) else {
            let text = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
            recorder.fail(.forStatus(Int(response.status.code)), Self.errorMessage(status: response.status, body: text), at: clock.now())
            return
        }
        for try await buffer in response.body {
            recorder.receive(buffer.readableBytesView, at: clock.now())
            if recorder.isFinished { break }
        }
    }

    /// The h2c path: one stream on one of the client's connections.
    private func send(
        headers: HTTPHeaders, body: [UInt8], with client: H2CClient, to recorder: inout StreamRecorder, receivedHead: inout Bool
    ) async throws {
        let path = (target.address?.path ?? "") + target.endpoint.path
        let parts = try await client.send(
            path: path, headers: headers, body: body, timeout: .milliseconds(Int64(target.timeout * 1000))
        )
        var status = HTTPResponseStatus.ok
        var errorBody: [UInt8] = []
        for try await part in parts {
            switch part {
            case .head(let code, let reason):
                receivedHead = true
                status = HTTPResponseStatus(statusCode: code, reasonPhrase: reason)
            case .body(let bytes) where (200 ..< 300).contains(Int(status.code)):
                recorder.receive(bytes, at: clock.now())
            case .body(let bytes):
                errorBody += bytes.prefix(max(0, (64 << 10) - errorBody.count))
            }
            if recorder.isFinished { break }
        }
        if receivedHead, !(200 ..< 300).contains(Int(status.code)) {
            let message = Self.errorMessage(status: status, body: String(decoding: errorBody, as: UTF8.self))
            recorder.fail(.forStatus(Int(status.code)), message, at: clock.now())
        }
    }

    /// The kind of a transport error.
    static func kind(of error: any Error, afterHead: Bool) -> FailureKind {
        if let error = error as? H2CError {
            switch error {
            case .timeout: return .timeout
            case .connect, .shutDown: return .connection
            case .streamClosed: return afterHead ? .incompleteStream : .connection
            }
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
                 .tlsHandshakeTimeout:
                return .timeout
            case .remoteConnectionClosed:
                return afterHead ? .incompleteStream : .connection
            default:
                return afterHead ? .incompleteStream : .connection
            }
        }
        return afterHead ? .incompleteStream : .connection
    }

    /// `"401 Unauthorized: <the server's message>"`, with the OpenAI error message when present.
    static func errorMessage(status: HTTPResponseStatus, body: String) -> String {
        let head = "\(status.code) \(status.reasonPhrase)"
        if case .error(let message)? = try? StreamChunk.decodeResponse(body, endpoint: .completions) {
            return head + ": " + message
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? head : head + ": " + String(trimmed.prefix(200))
    }
}
