@testable import StrataBench
import XCTest

/// Stopping a run: waiters wake, sleeps end early, cancellation is honoured, and a runner that
/// is stopped sends no new request, lets the ones in flight finish within the grace period,
/// then cancels the rest as `interrupted`.
final class BenchStopTests: XCTestCase {
    func testRequestWakesWaitersAndKeepsTheFirstReason() async {
        let stop = BenchStop(grace: 1)
        async let woken: Void = stop.wait()
        try? await Task.sleep(for: .milliseconds(50))
        stop.request("SIGINT")
        stop.request("SIGTERM")
        await woken
        XCTAssertEqual(stop.reason, "SIGINT")
        await stop.wait() // already requested: returns at once
    }

    func testSleepEndsEarlyOnStopAndWaitEndsOnCancellation() async {
        let stop = BenchStop()
        let started = ContinuousClock.now
        async let slept: Void = stop.sleep(until: started + .seconds(30))
        try? await Task.sleep(for: .milliseconds(50))
        stop.request("SIGTERM")
        await slept
        XCTAssertLessThan(started.duration(to: .now), .seconds(5))
        let other = BenchStop()
        let waiting = Task { await other.wait() }
        waiting.cancel()
        await waiting.value
        XCTAssertFalse(other.isRequested)
    }

    func testStoppedRunFinishesInFlightRequestsAndCancelsAfterTheGrace() async throws {
        let server = try await ScriptedServer(mode: .http1, okDelay: .milliseconds(300))
        let target = try TargetServer(baseURL: server.url, model: "m", timeout: 30)
        // Two quick requests in flight, two that hang; the rest would come at 0.5 s intervals.
        let prompts = ["ok", "hang", "ok", "hang"] + Array(repeating: "ok", count: 20)
        let requests = prompts.enumerated().map { BenchRequest(id: $0.offset, prompt: $0.element, maxTokens: 2, estimatedInputTokens: 3) }
        let plan = try BenchPlan(
            requests: requests, schedule: .recorded([0, 0, 0, 0] + (1 ... 20).map { Double($0) * 0.5 + 1 }),
            count: requests.count
        )
        let stop = BenchStop(grace: 1)
        let runner = BenchRunner(target: target, progress: ProgressLine(enabled: false), stop: stop)
        async let outcome = runner.run(plan)
        try await Task.sleep(for: .milliseconds(100))
        stop.request("SIGINT")
        let started = ContinuousClock.now
        let result = await outcome
        XCTAssertLessThan(started.duration(to: .now), .seconds(5), "bounded by the grace period, not the 30 s timeout")
        XCTAssertEqual(result.interruption, "SIGINT")
        XCTAssertEqual(result.records.count, 4, "nothing sent after the stop")
        XCTAssertEqual(result.records.map { $0.failure?.kind }, [nil, .interrupted, nil, .interrupted])
        XCTAssertEqual(result.metrics.completed, 2)
        let report = BenchReport.object(result)
        XCTAssertEqual(report["interrupted"] as? Bool, true)
        XCTAssertEqual(report["interrupt_signal"] as? String, "SIGINT")
        XCTAssertTrue(ReportTable.text(result).contains("Interrupted:"))
        await server.stop()
    }
}
