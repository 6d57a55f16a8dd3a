import NIOCore
@testable import StrataBench
import XCTest

/// Both transports (AsyncHTTPClient over HTTP/1.1, `H2CClient` over h2c) against a scripted local
/// server: every kind of failure is classified the same way, successes stream, and h2c
/// multiplexes concurrent requests as streams of one connection.
final class TransportTests: XCTestCase {
    /// Each scripted behaviour and the failure kind it must be counted as (`nil`: success).
    private let script: [(prompt: String, kind: FailureKind?)] = [
        ("ok", nil), ("ok", nil), ("ok", nil), ("ok", nil),
        ("status:401", .unauthorized), ("status:403", .unauthorized), ("status:429", .rateLimited),
        ("status:404", .clientError), ("status:500", .serverError), ("status:503", .serverError),
        ("malformed", .malformedStream), ("incomplete", .incompleteStream), ("cut", .incompleteStream),
        ("silent", .timeout), ("hang", .timeout),
    ]

    private func plan(_ prompts: [String], maxConcurrency: Int? = nil) throws -> BenchPlan {
        let requests = prompts.enumerated().map { BenchRequest(id: $0.offset, prompt: $0.element, maxTokens: 2, estimatedInputTokens: 3) }
        return try BenchPlan(
            requests: requests, schedule: .process(try ArrivalProcess(rate: nil), seed: 0), maxConcurrency: maxConcurrency,
            count: requests.count
        )
    }

    private func run(_ mode: ScriptedServer.Mode, http2: Bool) async throws -> (BenchResult, ScriptedServer.Seen) {
        let server = try await ScriptedServer(mode: mode)
        let target = try TargetServer(baseURL: server.url + "/v1", model: "m", http2: http2, timeout: 1.5)
        let result = await BenchRunner(target: target, progress: ProgressLine(enabled: false)).run(try plan(script.map { $0.prompt }))
        let seen = server.observed
        await server.stop()
        return (result, seen)
    }

    private func assertClassified(_ result: BenchResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.records.count, script.count, file: file, line: line)
        for (record, expected) in zip(result.records, script) {
            XCTAssertEqual(record.failure?.kind, expected.kind, "\(expected.prompt): \(record.failure?.message ?? "success")", file: file, line: line)
            XCTAssertNotNil(record.endedAt, expected.prompt, file: file, line: line)
        }
        let ok = result.records.filter { $0.failure == nil }
        for record in ok {
            XCTAssertEqual(record.generatedText, "ab", file: file, line: line)
            XCTAssertEqual(record.usage?.completionTokens, 2, file: file, line: line)
            XCTAssertEqual(record.chunks.filter { $0.tokens > 0 }.count, 2, file: file, line: line)
            let gap = record.chunks[1].time - record.chunks[0].time
            XCTAssertGreaterThan(gap, 0.2, "the second chunk arrives 300 ms after the first: streamed, not buffered", file: file, line: line)
        }
        let statusMessage = result.records.first { $0.failure?.kind == .rateLimited }?.failure?.message
        XCTAssertEqual(statusMessage, "429 Too Many Requests: scripted 429", file: file, line: line)
    }

    func testHTTP1ClassifiesEveryFailure() async throws {
        let (result, seen) = try await run(.http1, http2: false)
        assertClassified(result)
        XCTAssertEqual(seen.http2Requests, 0)
        XCTAssertGreaterThan(seen.connections, 1, "HTTP/1.1 needs a connection per concurrent request")
    }

    func testH2CClassifiesEveryFailureAndMultiplexes() async throws {
        let (result, seen) = try await run(.h2c, http2: true)
        assertClassified(result)
        XCTAssertEqual(seen.requests, script.count)
        XCTAssertEqual(seen.http2Requests, script.count, "every request arrived as an HTTP/2 stream")
        XCTAssertEqual(seen.connections, 1, "one connection (`cut` resets its stream only)")
        XCTAssertGreaterThanOrEqual(seen.maxStreamsPerConnection, 4, "the concurrent requests shared a connection")
    }

    func testH2CUnreachableServerIsAConnectionFailure() async throws {
        let server = try await ScriptedServer(mode: .h2c)
        let url = server.url
        await server.stop()
        let target = try TargetServer(baseURL: url, model: "m", http2: true, timeout: 2)
        let result = await BenchRunner(target: target, progress: ProgressLine(enabled: false)).run(try plan(["ok", "ok", "ok"]))
        XCTAssertEqual(result.records.map { $0.failure?.kind }, [.connection, .connection, .connection])
        XCTAssertTrue(result.records[0].failure?.message.contains("cannot connect to 127.0.0.1:") ?? false, "\(result.records[0])")
    }

    func testH2CReusesItsConnectionAndReleasesStreams() async throws {
        let server = try await ScriptedServer(mode: .h2c, okDelay: .milliseconds(10))
        let target = try TargetServer(baseURL: server.url, model: "m", http2: true, timeout: 2)
        let client = H2CClient(host: "127.0.0.1", port: server.port)
        let runner = RequestRunner(target: target, transport: .h2c(client), clock: BenchClock())
        let request = BenchRequest(id: 0, prompt: "ok", maxTokens: 2, estimatedInputTokens: 3)
        for _ in 0 ..< 3 {
            let record = await runner.run(request, scheduledAt: 0, waitedForSlot: false)
            XCTAssertNil(record.failure)
        }
        XCTAssertEqual(server.observed.connections, 1, "one connection for requests one after another")
        XCTAssertEqual(client.streamCounts, [0], "every stream was released")
        await client.shutdown()
        let afterShutdown = await runner.run(request, scheduledAt: 0, waitedForSlot: false)
        XCTAssertEqual(afterShutdown.failure?.kind, .connection)
        await server.stop()
    }
}
