import AsyncHTTPClient

/// Runs a plan against a target: warm-up, then the open-loop dispatch under the concurrency cap,
/// with the progress line, until the plan's count or duration is reached and every request in
/// flight has ended (each is bounded by the target's timeout).
public struct BenchRunner: Sendable {
    /// The target.
    public let target: TargetServer
    /// Latency targets for goodput.
    public let slo: ServiceLevelObjectives
    /// The progress line.
    public let progress: ProgressLine

    /// A runner.
    public init(target: TargetServer, slo: ServiceLevelObjectives = .none, progress: ProgressLine = ProgressLine()) {
        self.target = target
        self.slo = slo
        self.progress = progress
    }

    /// Runs `plan` on a fresh HTTP client and returns the result.
    public func run(_ plan: BenchPlan) async -> BenchResult {
        let client = RequestRunner.makeClient(for: target, concurrency: plan.maxConcurrency ?? 64)
        let result = await run(plan, client: client)
        try? await client.shutdown()
        return result
    }

    private func run(_ plan: BenchPlan, client: HTTPClient) async -> BenchResult {
        let warmupFailures = await warmUp(plan, client: client)
        let clock = BenchClock()
        let cpuBefore = LoadGeneratorCheck.processCPUSeconds()
        let runner = RequestRunner(target: target, client: client, clock: clock)
        let collector = RecordCollector()
        let lateness = await withTaskGroup(of: Void.self, returning: [Double].self) { outer in
            if progress.isEnabled {
                outer.addTask { [progress] in
                    while !Task.isCancelled {
                        let counts = collector.counts()
                        progress.draw(ProgressLine.text(
                            ended: counts.ended, total: plan.count, failed: counts.failed,
                            outputTokens: counts.outputTokens, inFlight: counts.inFlight, elapsed: clock.now()
                        ))
                        try? await Task.sleep(for: .milliseconds(250))
                    }
                }
            }
            let lateness = await dispatch(plan, runner: runner, clock: clock, collector: collector)
            outer.cancelAll()
            return lateness
        }
        let duration = clock.now()
        progress.finish()
        let check = LoadGeneratorCheck(
            cpuSeconds: LoadGeneratorCheck.processCPUSeconds() - cpuBefore, wallSeconds: duration, lateness: lateness
        )
        var rate: Double? = nil, burstiness = 1.0
        if case .process(let process, _) = plan.schedule {
            rate = process.rate
            burstiness = process.burstiness
        }
        return BenchResult(
            target: target, requestRate: rate, burstiness: burstiness, maxConcurrency: plan.maxConcurrency, slo: slo,
            records: collector.records(), duration: duration, warmupFailures: warmupFailures, check: check
        )
    }

    /// Sends the requests on schedule; returns the lateness of those that did not wait for a slot.
    private func dispatch(_ plan: BenchPlan, runner: RequestRunner, clock: BenchClock, collector: RecordCollector) async -> [Double] {
        var lateness: [Double] = []
        await withTaskGroup(of: Void.self) { group in
            var offsets = plan.offsets()
            var index = 0, inFlight = 0
            while plan.count.map({ index < $0 }) ?? true, let offset = offsets.next() {
                if let duration = plan.duration, offset >= duration { break }
                try? await Task.sleep(until: clock.instant(at: offset), clock: .continuous)
                var waited = false
                if let cap = plan.maxConcurrency {
                    while inFlight >= cap, await group.next() != nil {
                        inFlight -= 1
                        waited = true
                    }
                }
                let now = clock.now()
                if let duration = plan.duration, now >= duration { break }
                if !waited { lateness.append(max(0, now - offset)) }
                let request = plan.request(at: index)
                collector.started()
                group.addTask { [waited] in
                    collector.add(await runner.run(request, scheduledAt: offset, waitedForSlot: waited))
                }
                inFlight += 1
                index += 1
            }
            await group.waitForAll()
        }
        return lateness
    }

    /// Sends the warm-up requests (at most `maxConcurrency` at once) and counts their failures.
    private func warmUp(_ plan: BenchPlan, client: HTTPClient) async -> Int {
        guard !plan.warmup.isEmpty else { return 0 }
        let runner = RequestRunner(target: target, client: client, clock: BenchClock())
        let width = plan.maxConcurrency ?? plan.warmup.count
        var failures = 0
        for batchStart in stride(from: 0, to: plan.warmup.count, by: width) {
            let batch = plan.warmup[batchStart ..< min(plan.warmup.count, batchStart + width)]
            failures += await withTaskGroup(of: Bool.self, returning: Int.self) { group in
                for request in batch {
                    group.addTask { await runner.run(request, scheduledAt: 0, waitedForSlot: false).failure != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        return failures
    }
}
