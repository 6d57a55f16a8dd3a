import Foundation
import NIOHTTP1

/// A worker's answer to one HTTP request: status and body bytes.
struct WorkerReply: Sendable {
    var status: HTTPResponseStatus
    var body: [UInt8]
    var contentType = "application/octet-stream"
    /// Time the stage spent on a step (sent as `x-strata-compute-ns`, so the coordinator can tell
    /// transport time from compute time).
    var computeNanoseconds: UInt64?

    static func text(_ status: HTTPResponseStatus, _ message: String) -> WorkerReply {
        WorkerReply(status: status, body: Array((message + "\n").utf8), contentType: "text/plain; charset=utf-8")
    }
}

/// Routes a worker's requests: every one must carry the cluster token (else 401) and the
/// coordinator's expected model digest (else 409). `GET /v1/handshake` returns the `Handshake`
/// frame; `POST /v1/step` runs a step frame and returns the `StepResponse` frame; `GET /v1/status`
/// returns the worker's `WorkerStatistics` as JSON.
struct WorkerRouter: Sendable {
    /// The header carrying the coordinator's expected model digest (64 hex digits).
    static let digestHeader = "x-strata-model-digest"
    /// Largest request body accepted.
    static let maxBodyBytes = 256 << 20
    /// The response header carrying the nanoseconds a step spent at the worker, from arrival to
    /// answer (compute and waiting behind earlier steps).
    static let computeHeader = "x-strata-compute-ns"

    let token: ClusterToken
    let handshake: Handshake
    let runner: StageRunner

    /// Whether a request with `head` may proceed; the refusal to send otherwise.
    func admit(_ head: HTTPRequestHead) -> WorkerReply? {
        guard token.accepts(header: head.headers.first(name: "authorization")) else {
            return .text(.unauthorized, "missing or wrong cluster token")
        }
        let expected = head.headers.first(name: Self.digestHeader) ?? ""
        guard ModelDigest.parse(hex: expected) == handshake.modelDigest else {
            return .text(.conflict, "model digest mismatch: this worker serves \(ModelDigest.hex(handshake.modelDigest)), "
                + "the coordinator expects \(expected.isEmpty ? "none" : expected)")
        }
        return nil
    }

    /// The reply to an admitted request.
    func respond(to head: HTTPRequestHead, body: [UInt8]) async -> WorkerReply {
        switch (head.method, head.uri) {
        case (.GET, "/v1/handshake"):
            return WorkerReply(status: .ok, body: handshake.encoded())
        case (.GET, "/v1/status"):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            guard let json = try? encoder.encode(runner.statistics.snapshot) else {
                return .text(.internalServerError, "cannot encode the statistics")
            }
            return WorkerReply(status: .ok, body: Array(json), contentType: "application/json")
        case (.POST, "/v1/step"):
            switch await runner.run(frame: body) {
            case let .success(reply): return WorkerReply(status: .ok, body: reply.bytes, computeNanoseconds: reply.nanoseconds)
            case let .failure(error): return .text(.badRequest, error.description)
            }
        case (_, "/v1/handshake"), (_, "/v1/step"), (_, "/v1/status"):
            return .text(.methodNotAllowed, "method not allowed")
        default:
            return .text(.notFound, "no route \(head.uri)")
        }
    }
}
