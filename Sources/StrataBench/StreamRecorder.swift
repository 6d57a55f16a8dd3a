/// Turns the bytes of one response, as they arrive, into the request's record: a state machine
/// with no I/O (the runner passes the arrival time of each piece), so it is tested without sockets.
///
/// Streamed responses are parsed as server-sent events carrying OpenAI chunks; the stream must
/// end with `[DONE]` or carry a finish reason, else it counts as incomplete. A non-streamed
/// response is one JSON body, recorded as a single chunk at its end.
public struct StreamRecorder: Sendable {
    /// The record so far.
    public private(set) var record: RequestRecord
    private let endpoint: Endpoint
    private let streamed: Bool
    private var parser = SSEParser()
    private var body: [UInt8] = []
    private var sawDone = false
    private var sawFinish = false
    private let maximumBodyBytes = 16 << 20

    /// A recorder for `record`, whose start is already set.
    public init(record: RequestRecord, endpoint: Endpoint, streamed: Bool) {
        self.record = record
        self.endpoint = endpoint
        self.streamed = streamed
    }

    /// Whether the record is final (ended or failed); later input is ignored.
    public var isFinished: Bool { record.endedAt != nil }

    /// Consumes a piece of the body that arrived at `time`.
    public mutating func receive<Bytes: Sequence>(_ bytes: Bytes, at time: Double) where Bytes.Element == UInt8 {
        guard !isFinished else { return }
        guard streamed else {
            body.append(contentsOf: bytes)
            if body.count > maximumBodyBytes { fail(.malformedStream, "response body over \(maximumBodyBytes) bytes", at: time) }
            return
        }
        do {
            for event in try parser.feed(bytes) {
                handle(event, at: time)
                if isFinished { return }
            }
        } catch {
            fail(.malformedStream, "server-sent event line over \(parser.maximumLineLength) bytes", at: time)
        }
    }

    /// The body ended at `time`: completes the record, or fails it if the response was cut short.
    public mutating func finish(at time: Double) {
        guard !isFinished else { return }
        guard streamed else {
            switch Result(catching: { () throws(StreamChunk.Malformed) in
                try StreamChunk.decodeResponse(String(decoding: body, as: UTF8.self), endpoint: endpoint)
            }) {
            case .success(.content(let text, _, let usage, let logprobs)):
                record.chunks.append(ChunkArrival(time: time, tokens: text.isEmpty ? 0 : 1))
                record.generatedText = text
                record.tokenLogprobs = logprobs
                record.usage = usage
                record.endedAt = time
            case .success(.error(let message)):
                fail(.streamError, message, at: time)
            case .success(.done):
                fail(.malformedStream, "a non-streamed response was [DONE]", at: time)
            case .failure(let malformed):
                fail(.malformedStream, malformed.description, at: time)
            }
            return
        }
        if let event = parser.finish() { handle(event, at: time) }
        guard !isFinished else { return }
        guard sawDone || sawFinish else {
            fail(.incompleteStream, "the stream ended without [DONE] or a finish reason", at: time)
            return
        }
        record.endedAt = time
    }

    /// Fails the request at `time`.
    public mutating func fail(_ kind: FailureKind, _ message: String, at time: Double) {
        guard !isFinished else { return }
        record.failure = RequestFailure(kind: kind, message: message)
        record.endedAt = time
    }

    private mutating func handle(_ event: SSEParser.Event, at time: Double) {
        guard !sawDone else { return }
        switch Result(catching: { () throws(StreamChunk.Malformed) in try StreamChunk.decode(event.data, endpoint: endpoint) }) {
        case .success(.done):
            sawDone = true
            record.endedAt = time
        case .success(.content(let text, let finishReason, let usage, let logprobs)):
            record.chunks.append(ChunkArrival(time: time, tokens: text.isEmpty ? 0 : 1))
            record.generatedText += text
            record.tokenLogprobs += logprobs
            if let usage { record.usage = usage }
            if finishReason != nil { sawFinish = true }
        case .success(.error(let message)):
            fail(.streamError, message, at: time)
        case .failure(let malformed):
            fail(.malformedStream, malformed.description, at: time)
        }
    }
}
