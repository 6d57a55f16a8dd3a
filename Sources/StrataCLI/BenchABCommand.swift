import ArgumentParser
import Foundation
import StrataBench

/// `strata bench ab --model REF_A --model REF_B`: the same workload against two model versions
/// (one after the other, greedy by default, with log probabilities), then latency and throughput
/// side by side and, per request, whether the outputs are identical, the first diverging token
/// and the logprob drift before it.
struct BenchABCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "Run one workload against two models and compare speed and outputs."
    )

    @Option(name: .long, help: "Base URL of the server.")
    var url: String

    @Option(name: .long, help: "The two models to compare: --model A --model B.")
    var model: [String]

    @Option(name: .long, help: "API key, sent as a Bearer token.")
    var apiKey: String?

    @Option(name: .long, help: "completions or chat.")
    var endpoint: Endpoint = .completions

    @Flag(name: .long, help: "Use HTTP/2: by ALPN over https://, with prior knowledge (h2c) over http://.")
    var http2 = false

    @Option(name: .long, help: "Sampling temperature (0: greedy, so outputs are comparable).")
    var temperature = 0.0

    @Option(name: .long, help: "Seconds a request may take.")
    var timeout = 300.0

    @OptionGroup var workload: BenchWorkloadOptions

    @Option(name: .long, help: "Requests per model.")
    var numRequests = 20

    @Option(name: .long, help: "Most requests in flight at once.")
    var maxConcurrency = 4

    @Option(name: .long, help: "Seed of the prompts.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Write both reports and the per-request agreement to this JSON file.")
    var json: String?

    @Option(name: .long, help: "Write a self-contained HTML page with both runs side by side and the output agreement.")
    var html: String?

    func run() async throws {
        guard model.count == 2 else { throw CommandFailure("give exactly two models: --model A --model B") }
        var results: [BenchResult] = []
        do {
            let built = try workload.spec(seed: seed).build(warmup: 0, count: numRequests)
            let plan = try BenchPlan(
                requests: built.workload.requests, schedule: .process(try ArrivalProcess(rate: nil), seed: seed),
                maxConcurrency: maxConcurrency, count: numRequests
            )
            for name in model {
                var target = try TargetServer(
                    baseURL: url, model: name, apiKey: apiKey, endpoint: endpoint, http2: http2, temperature: temperature,
                    timeout: timeout
                )
                target.logprobs = true
                results.append(await BenchRunner(target: target).run(plan))
            }
        } catch {
            throw CommandFailure(error)
        }
        let reports = results.map { BenchReport.object($0) }
        print(BenchComparison(a: reports[0], b: reports[1]).text(nameA: model[0], nameB: model[1]))
        let agreement = OutputAgreement(a: results[0].records, b: results[1].records)
        print("")
        print("Outputs identical:       \(agreement.identical) of \(agreement.comparable) requests both models completed")
        let diverged = agreement.pairs.filter { $0.bothSucceeded && !$0.identical }
        if let first = diverged.first {
            print("First divergence:        request \(first.id) at token \(first.firstDivergence ?? 0)")
        }
        print("Max logprob drift:       " + (agreement.maxLogprobDrift.map { String(format: "%.6f", $0) } ?? "-"))
        if let json {
            let pairs: [[String: Any]] = agreement.pairs.map {
                ["id": $0.id, "identical": $0.identical, "both_succeeded": $0.bothSucceeded,
                 "first_divergence": $0.firstDivergence.map { $0 as Any } ?? NSNull(),
                 "max_logprob_drift": $0.maxLogprobDrift.map { $0 as Any } ?? NSNull(),
                 "mean_logprob_drift": $0.meanLogprobDrift.map { $0 as Any } ?? NSNull()]
            }
            let object: [String: Any] = [
                "a": reports[0], "b": reports[1], "identical": agreement.identical, "comparable": agreement.comparable,
                "max_logprob_drift": agreement.maxLogprobDrift.map { $0 as Any } ?? NSNull(), "requests": pairs,
            ]
            try write(BenchReport.data(object), to: json)
        }
        if let html {
            let page = HTMLReport.abHTML(a: results[0], b: results[1], nameA: model[0], nameB: model[1], agreement: agreement)
            try write(Data(page.utf8), to: html)
        }
        if agreement.comparable == 0 {
            throw CommandFailure("no request completed against both models")
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
