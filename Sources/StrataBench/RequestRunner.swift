import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to a target and records their timelines. Every failure (connection, timeout,
/// HTTP status, malformed stream) ends up in the record; `run` never throws.
public struct RequestRunner: Sendable {
    /// The target.
    public let target: TargetServer
    private let client: HTTPClient
    private let clock: BenchClock

    /// A runner over `client` (owned by the caller), timing against `clock`.
    public init(target: TargetServer, client: HTTPClient, clock: BenchClock) {
        self.target = target
        self.client = client
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
        var http = HTTPClientRequest(url: target.requestURL)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: target.stream ? "text/event-stream" : "application/json")
        if let apiKey = target.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = .bytes(ByteBuffer(bytes: target.body(for: request)))
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
            let deadline = NIODeadline.now() + .milliseconds(Int64(target.timeout * 1000))
            let response = try await client.execute(http, deadline: deadline)
            receivedHead = true
            guard (200 ..< 300).contains(Int(response.status.code)) else {
                let text = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
                recorder.fail(.forStatus(Int(response.status.code)), Self.errorMessage(status: response.status, body: text), at: clock.now())
                return recorder.record
            }
            for try await buffer in response.body {
                recorder.receive(buffer.readableBytesView, at: clock.now())
                if recorder.isFinished { break }
            }
            recorder.finish(at: clock.now())
        } catch {
            recorder.fail(Self.kind(of: error, afterHead: receivedHead), String(describing: error), at: clock.now())
        }
        return recorder.record
    }

    /// The kind of a transport error.
    static func kind(of error: any Error, afterHead: Bool) -> FailureKind {
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
