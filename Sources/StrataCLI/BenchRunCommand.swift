import ArgumentParser
import Foundation
import StrataBench

/// `strata bench [run]`: one bounded load test (or a sweep over rates) against a server.
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a bounded load test against an OpenAI-compatible server (the default)."
    )

    @OptionGroup var target: BenchTargetOptions
    @OptionGroup var workload: BenchWorkloadOptions

    @Option(name: .long, help: "Requests per second, or inf to send all at once (subject to --max-concurrency).")
    var requestRate = "inf"

    @Option(name: .long, help: "Gamma shape of inter-arrival times: 1 = Poisson, < 1 burstier, > 1 more regular.")
    var burstiness = 1.0

    @Option(name: .long, help: "Most requests in flight at once.")
    var maxConcurrency: Int?

    @Option(name: .long, help: "Measured requests (default 100 unless --duration is given).")
    var numRequests: Int?

    @Option(name: .long, help: "Stop sending new requests after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "Warm-up requests sent first and excluded from the results.")
    var warmup = 0

    @Option(name: .long, help: "Seed of prompts and arrival times.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Goodput target: time to first token, ms.")
    var sloTtft: Double?

    @Option(name: .long, help: "Goodput target: time per output token, ms.")
    var sloTpot: Double?

    @Option(name: .long, help: "Goodput target: end-to-end latency, ms.")
    var sloE2el: Double?

    @Option(name: .long, help: "Write the JSON report (aggregates and per-request records) to this file.")
    var json: String?

    @Option(name: .long, help: "Write a self-contained HTML report with charts to this file.")
    var html: String?

    @Option(name: .long, help: "Run once per rate, e.g. 1,2,4,8, and report the throughput-latency curve.")
    var sweepRates: String?

    @Option(name: .long, help: "After SIGINT/SIGTERM, seconds requests in flight may still take before they are cancelled.")
    var gracePeriod = 30.0

    func run() async throws {
        let server: TargetServer, plans: [(Double?, BenchPlan)], slo: ServiceLevelObjectives
        do {
            server = try target.server()
            slo = try ServiceLevelObjectives(ttftMs: sloTtft, tpotMs: sloTpot, e2elMs: sloE2el)
            plans = try makePlans()
            guard gracePeriod >= 0, gracePeriod.isFinite else { throw BenchError.invalidOption("--grace-period must not be negative") }
        } catch {
            throw CommandFailure(error)
        }
        let stop = BenchStop(grace: gracePeriod)
        let runner = BenchRunner(target: server, slo: slo, stop: stop)
        let results = await withTaskGroup(of: [BenchResult]?.self, returning: [BenchResult].self) { group in
            group.addTask {
                await BenchSignals.watch(stop)
                return nil
            }
            group.addTask { await Self.runAll(plans, runner: runner) }
            var results: [BenchResult] = []
            while let next = await group.next() {
                guard let next else { continue }
                results = next
                group.cancelAll()
            }
            return results
        }
        // A sweep cut short reports the rates it ran.
        let rates = plans.prefix(results.count).map { $0.0 ?? 0 }
        let sweep = plans.count > 1 && !results.isEmpty ? SweepSummary(rates: rates, results: results) : nil
        if let sweep { print(sweepTable(sweep)) }
        try writeReports(results, sweep: sweep)
        if let reason = stop.reason {
            printError("strata bench: interrupted by \(reason); the reports cover the requests sent before it")
            throw ExitCode(BenchSignals.exitStatus(reason))
        }
        let failures = results.flatMap(\.records).compactMap(\.failure)
        if results.allSatisfy({ $0.metrics.completed == 0 }), let first = failures.first {
            throw CommandFailure("all \(failures.count) requests failed; first error (\(first.kind.rawValue)): \(first.message)")
        }
    }

    /// Runs the plans in order (stopping early when interrupted), printing each result.
    private static func runAll(_ plans: [(Double?, BenchPlan)], runner: BenchRunner) async -> [BenchResult] {
        var results: [BenchResult] = []
        for (rate, plan) in plans where results.isEmpty || !runner.stop.isRequested {
            if plans.count > 1 { printError("Sweep: request rate \(rate.map { String($0) } ?? "inf") req/s") }
            let outcome = await runner.run(plan)
            print(ReportTable.text(outcome))
            for warning in outcome.check.warnings { printError("Warning: \(warning)") }
            results.append(outcome)
        }
        return results
    }

    /// One plan per rate (one for a single run).
    private func makePlans() throws -> [(Double?, BenchPlan)] {
        guard warmup >= 0 else { throw BenchError.invalidOption("--warmup must not be negative") }
        let replay = workload.dataset == .replay
        // A replay sends every entry unless told otherwise; other datasets default to 100 requests.
        let count = numRequests ?? (duration == nil && !replay ? 100 : nil)
        let built = try workload.spec(seed: seed).build(warmup: warmup, count: count)
        let rates: [Double?] = try sweepRates.map { try SweepSummary.parseRates($0).map { Optional($0) } }
            ?? [try ArrivalProcess.parseRate(requestRate)]
        return try rates.map { rate in
            let schedule: Schedule = try built.workload.recordedOffsets.map { .recorded($0) }
                ?? .process(try ArrivalProcess(rate: rate, burstiness: burstiness), seed: seed &+ 1)
            let plan = try BenchPlan(
                requests: built.workload.requests, warmup: built.warmup, schedule: schedule, maxConcurrency: maxConcurrency,
                count: replay ? built.workload.requests.count : count, duration: duration
            )
            return (rate, plan)
        }
    }

    private func sweepTable(_ sweep: SweepSummary) -> String {
        var lines = ["  rate   achieved req/s   output tok/s   p99 E2EL ms   mean TTFT ms"]
        for point in sweep.points {
            lines.append(String(format: "%6.2f %16.2f %14.2f %13.2f %14.2f", point.rate, point.requestThroughput,
                                point.outputThroughput, point.p99E2elMs, point.meanTtftMs))
        }
        lines.append("Knee: " + (sweep.knee.map { String(format: "%.2f req/s (highest rate the server kept up with)", $0) }
            ?? "not seen (kept up with every rate, or with none)"))
        return lines.joined(separator: "\n")
    }

    private func writeReports(_ results: [BenchResult], sweep: SweepSummary?) throws {
        if let json {
            let objects = results.map { BenchReport.object($0) }
            let object: [String: Any]
            if let sweep {
                object = ["sweep": objects, "rates": sweep.points.map(\.rate), "knee_rate": sweep.knee.map { $0 as Any } ?? NSNull()]
            } else {
                object = objects.first ?? [:]
            }
            try write(BenchReport.data(object), to: json)
        }
        if let html {
            try write(Data(HTMLReport.html(results: results, sweep: sweep).utf8), to: html)
        }
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
