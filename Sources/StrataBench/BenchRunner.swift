/// Runs a plan against a target: warm-up, then the open-loop dispatch under the concurrency cap,
/// with the progress line, until the plan's count or duration is reached and every request in
/// flight has ended (each is bounded by the target's timeout). When `stop` is requested, no new
/// request is sent and those in flight get its grace period, then are cancelled.
public struct BenchRunner: Sendable {
    /// The target.
    public let target: TargetServer
    /// Latency targets for goodput.
    public let slo: ServiceLevelObjectives
    /// The progress line.
    public let progress: ProgressLine
    /// Ends the run early when requested (by a signal).
    public let stop: BenchStop

    /// A runner.
    public init(
        target: TargetServer, slo: ServiceLevelObjectives = .none, progress: ProgressLine = ProgressLine(),
        stop: BenchStop = BenchStop()
    ) {
        self.target = target
        self.slo = slo
        self.progress = progress
        self.stop = stop
    }

    /// How a task of a run's task group ended.
    private enum Ended: Sendable {
        /// A request ended (completed, failed or cancelled).
        case request(failed: Bool)
        /// The grace period after a stop ran out: cancel what is in flight.
        case graceOver
        /// The grace watcher was cancelled because the run ended.
        case watcherCancelled
    }

    /// Runs `plan` on a fresh transport and returns the result.
    public func run(_ plan: BenchPlan) async -> BenchResult {
        let transport = BenchTransport.make(for: target, concurrency: plan.maxConcurrency ?? 64)
        let result = await run(plan, transport: transport)
        await transport.shutdown()
        return result
    }

    private func run(_ plan: BenchPlan, transport: BenchTransport) async -> BenchResult {
        let warmupFailures = await warmUp(plan, transport: transport)
        let clock = BenchClock()
        let cpuBefore = LoadGeneratorCheck.processCPUSeconds()
        let runner = RequestRunner(target: target, transport: transport, clock: clock)
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
        var result = BenchResult(
            target: target, requestRate: rate, burstiness: burstiness, maxConcurrency: plan.maxConcurrency, slo: slo,
            records: collector.records(), duration: duration, warmupFailures: warmupFailures, check: check
        )
        result.interruption = stop.reason
        return result
    }

    /// Sends the requests on schedule; returns the lateness of those that did not wait for a slot.
    private func dispatch(_ plan: BenchPlan, runner: RequestRunner, clock: BenchClock, collector: RecordCollector) async -> [Double] {
        var lateness: [Double] = []
        await withTaskGroup(of: Ended.self) { group in
            addGraceWatcher(to: &group)
            var offsets = plan.offsets()
            var index = 0, inFlight = 0
            sending: while !stop.isRequested, plan.count.map({ index < $0 }) ?? true, let offset = offsets.next() {
                if let duration = plan.duration, offset >= duration { break }
                await stop.sleep(until: clock.instant(at: offset))
                var waited = false
                if let cap = plan.maxConcurrency {
                    while inFlight >= cap, !stop.isRequested, let ended = await group.next() {
                        guard case .request = ended else {
                            group.cancelAll()
                            break sending
                        }
                        inFlight -= 1
                        waited = true
                    }
                }
                if stop.isRequested { break }
                let now = clock.now()
                if let duration = plan.duration, now >= duration { break }
                if !waited { lateness.append(max(0, now - offset)) }
                let request = plan.request(at: index)
                collector.started()
                group.addTask { [waited] in
                    let record = await runner.run(request, scheduledAt: offset, waitedForSlot: waited)
                    collector.add(record)
                    return .request(failed: record.failure != nil)
                }
                inFlight += 1
                index += 1
            }
            _ = await drain(&group, inFlight: inFlight)
        }
        return lateness
    }

    /// Sends the warm-up requests (at most `maxConcurrency` at once) and counts their failures.
    private func warmUp(_ plan: BenchPlan, transport: BenchTransport) async -> Int {
        guard !plan.warmup.isEmpty else { return 0 }
        let runner = RequestRunner(target: target, transport: transport, clock: BenchClock())
        let width = plan.maxConcurrency ?? plan.warmup.count
        var failures = 0
        for batchStart in stride(from: 0, to: plan.warmup.count, by: width) where !stop.isRequested {
            let batch = plan.warmup[batchStart ..< min(plan.warmup.count, batchStart + width)]
            failures += await withTaskGroup(of: Ended.self, returning: Int.self) { group in
                addGraceWatcher(to: &group)
                for request in batch {
                    group.addTask {
                        .request(failed: await runner.run(request, scheduledAt: 0, waitedForSlot: false).failure != nil)
                    }
                }
                return await drain(&group, inFlight: batch.count)
            }
        }
        return failures
    }

    /// Adds the task that, once the stop is requested, waits out the grace period.
    private func addGraceWatcher(to group: inout TaskGroup<Ended>) {
        group.addTask { [stop] in
            await stop.wait()
            guard !Task.isCancelled else { return .watcherCancelled }
            try? await Task.sleep(for: .seconds(stop.grace))
            return Task.isCancelled ? .watcherCancelled : .graceOver
        }
    }

    /// Waits for the `inFlight` requests of `group`; when the grace period runs out first, cancels
    /// them (they end at once, recorded as interrupted). Then stops the watcher. Returns how many
    /// of the requests failed.
    private func drain(_ group: inout TaskGroup<Ended>, inFlight: Int) async -> Int {
        var inFlight = inFlight, failed = 0
        while inFlight > 0, let ended = await group.next() {
            switch ended {
            case .request(let didFail):
                inFlight -= 1
                if didFail { failed += 1 }
            case .graceOver: group.cancelAll()
            case .watcherCancelled: break
            }
        }
        group.cancelAll()
        return failed
    }
}
