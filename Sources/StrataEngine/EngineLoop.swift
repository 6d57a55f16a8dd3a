import StrataModels
import StrataScheduling
import StrataTokenizer

/// The engine's step, as nano-vllm's: schedule a batch, execute it, record the chosen tokens.
/// Owns the schedulers and every request's output state; the executor owns the model, the KV
/// cache and the samplers. Used only by the engine's loop thread.
///
/// An executor that runs several steps at once gets several micro-batches (`MicroBatchShare`),
/// each with its own scheduler and sequences: while one micro-batch's step is in flight, the
/// others are scheduled and started, and steps complete in the order they started.
final class EngineLoop {
    /// One request as the loop sees it.
    private struct Request {
        let request: GenerationRequest
        let continuation: AsyncStream<GenerationEvent>.Continuation
        var output: OutputProcessor
        /// The micro-batch whose scheduler holds it.
        let microBatch: Int
        /// Prompt tokens found in the prefix cache at first admission; nil until admitted.
        var cachedPromptTokens: Int?
    }

    /// A micro-batch: its scheduler, its range of block ids and its step in flight.
    private struct MicroBatch {
        var scheduler: Scheduler
        let blockOffset: Int32
        var inFlight: (batch: ScheduledBatch, step: any StepInFlight)?
        /// Cancellations that wait for the step in flight to end.
        var deferredCancellations: [(SequenceID, GenerationSummary.FinishReason)] = []
    }

    private var microBatches: [MicroBatch]
    /// Micro-batches with a step in flight, oldest first.
    private var inFlightOrder: [Int] = []
    private let executor: any StepExecutor
    private let tokenizer: any Tokenizer
    private let endOfGeneration: Set<Int32>
    private var requests: [SequenceID: Request] = [:]
    private var statistics = EngineStatistics()

    init(executor: any StepExecutor, tokenizer: any Tokenizer, shares: [MicroBatchShare]) {
        microBatches = shares.map { MicroBatch(scheduler: Scheduler(config: $0.config), blockOffset: $0.blockOffset) }
        self.executor = executor
        self.tokenizer = tokenizer
        endOfGeneration = tokenizer.vocabulary.endOfGenerationIDs
    }

    /// Whether no request is waiting or running and no step is in flight.
    var isIdle: Bool { inFlightOrder.isEmpty && microBatches.allSatisfy(\.scheduler.isIdle) }

    /// Queues a request on the micro-batch with the fewest requests; one the scheduler refuses
    /// ends at once with `.abort`.
    func admit(id: SequenceID, _ request: GenerationRequest, continuation: AsyncStream<GenerationEvent>.Continuation) {
        let load = microBatches.map { $0.scheduler.running.count + $0.scheduler.waiting.count }
        let chosen = load.indices.min { load[$0] < load[$1] } ?? 0
        do {
            try microBatches[chosen].scheduler.add(id: id, prompt: request.prompt, maxTokens: request.maxTokens, priority: request.priority)
        } catch {
            continuation.yield(.finished(GenerationSummary(
                finishReason: .abort, stopCause: nil, promptTokens: request.prompt.count,
                cachedPromptTokens: 0, completionTokens: 0, preemptions: 0)))
            continuation.finish()
            return
        }
        executor.addSequence(id, sampling: SequenceSampler.Configuration(request: request, endOfGeneration: endOfGeneration))
        requests[id] = Request(
            request: request, continuation: continuation,
            output: OutputProcessor(request: request, tokenizer: tokenizer, endOfGeneration: endOfGeneration),
            microBatch: chosen)
    }

    /// Cancels a request; its blocks are free before its micro-batch's next step (a step in
    /// flight that computes it ends first).
    func cancel(_ id: SequenceID, reason: GenerationSummary.FinishReason = .cancelled) {
        guard let index = requests[id]?.microBatch else { return }
        guard microBatches[index].inFlight == nil else {
            microBatches[index].deferredCancellations.append((id, reason))
            return
        }
        guard microBatches[index].scheduler.cancel(id), let request = requests.removeValue(forKey: id) else { return }
        executor.removeSequence(id)
        finish(request, reason: reason, generated: request.output.generatedCount, preemptions: 0)
    }

    /// Ends every request with `reason`.
    func cancelAll(reason: GenerationSummary.FinishReason) {
        for id in Array(requests.keys) { cancel(id, reason: reason) }
    }

    /// Starts a step on every micro-batch that has work and no step in flight (up to the
    /// executor's limit), then completes the oldest step in flight.
    func step() {
        startSteps()
        completeOldestStep()
    }

    private func startSteps() {
        for index in microBatches.indices where microBatches[index].inFlight == nil {
            guard inFlightOrder.count < executor.maxStepsInFlight else { return }
            let batch = microBatches[index].scheduler.schedule()
            guard !batch.isEmpty else { continue }
            recordAdmissions(batch, microBatch: index)
            microBatches[index].inFlight = (batch, executor.start(batch, blockOffset: microBatches[index].blockOffset))
            inFlightOrder.append(index)
        }
    }

    private func completeOldestStep() {
        guard !inFlightOrder.isEmpty else { return }
        let index = inFlightOrder.removeFirst()
        guard let (batch, step) = microBatches[index].inFlight else { return }
        microBatches[index].inFlight = nil
        defer { applyDeferredCancellations(of: index) }
        let sampled: [SampledToken]
        do {
            sampled = try step.wait()
        } catch {
            abandon(batch, microBatch: index)
            return
        }

        var stopped: Set<SequenceID> = []
        var outputs: [SequenceID: GenerationOutput] = [:]
        for (id, choice) in zip(batch.samplingSequenceIDs, sampled) {
            // Mutated in place through the dictionary, so per-request state is never copied.
            guard let text = requests[id]?.output.accept(choice.token) else {
                preconditionFailure("scheduled sequence \(id) has no request")
            }
            if requests[id]?.output.stopCause != nil { stopped.insert(id) }
            outputs[id] = GenerationOutput(tokens: [choice.token], text: text, logprobs: choice.logprob.map { [$0] } ?? [])
        }

        let finished = microBatches[index].scheduler.postprocess(batch, sampledTokens: sampled.map(\.token), stopped: stopped)
        var finishedByID: [SequenceID: SequenceState] = [:]
        for sequence in finished { finishedByID[sequence.id] = sequence }
        for id in batch.samplingSequenceIDs {
            guard var output = outputs[id] else { continue }
            guard let sequence = finishedByID[id] else {
                requests[id]?.continuation.yield(.output(output))
                continue
            }
            guard var request = requests.removeValue(forKey: id) else { continue }
            executor.removeSequence(id)
            if request.output.stopCause == nil { output.text += request.output.flush() }
            request.continuation.yield(.output(output))
            finish(request, reason: request.output.stopCause == nil ? .length : .stop,
                   generated: sequence.generatedTokens.count, preemptions: sequence.preemptionCount)
        }
        statistics.steps += 1
        statistics.preemptions = microBatches.reduce(0) { $0 + $1.scheduler.preemptionCount }
    }

    private func applyDeferredCancellations(of index: Int) {
        let deferred = microBatches[index].deferredCancellations
        microBatches[index].deferredCancellations = []
        for (id, reason) in deferred { cancel(id, reason: reason) }
    }

    /// Ends every request of a batch that could not run with `.failed`, releasing its blocks.
    private func abandon(_ batch: ScheduledBatch, microBatch index: Int) {
        for sequence in microBatches[index].scheduler.abandon(batch) {
            guard let request = requests.removeValue(forKey: sequence.id) else { continue }
            executor.removeSequence(sequence.id)
            finish(request, reason: .failed, generated: sequence.generatedTokens.count, preemptions: sequence.preemptionCount)
        }
        statistics.steps += 1
    }

    /// The load and cache figures after the last step; `pending` counts requests not yet admitted.
    func snapshot(pending: Int) -> EngineStatistics {
        var snapshot = statistics
        snapshot.waitingRequests = pending
        for microBatch in microBatches {
            let scheduler = microBatch.scheduler
            snapshot.runningRequests += scheduler.running.count
            snapshot.waitingRequests += scheduler.waiting.count
            snapshot.usedBlocks += scheduler.blockManager.usedBlockCount
            snapshot.totalBlocks += scheduler.blockManager.blockCount
            snapshot.windowReleasedBlocks += scheduler.blockManager.windowReleaseCount
        }
        return snapshot
    }

    /// Notes the prefix-cache hits of sequences admitted for the first time in `batch`.
    private func recordAdmissions(_ batch: ScheduledBatch, microBatch index: Int) {
        for entry in batch.entries {
            guard let request = requests[entry.sequenceID], request.cachedPromptTokens == nil else { continue }
            let cached = microBatches[index].scheduler.sequence(entry.sequenceID)?.cachedTokenCount ?? 0
            requests[entry.sequenceID]?.cachedPromptTokens = cached
            statistics.prefixCacheQueriedTokens += request.request.prompt.count
            statistics.prefixCacheHitTokens += cached
        }
    }

    private func finish(_ request: Request, reason: GenerationSummary.FinishReason, generated: Int, preemptions: Int) {
        request.continuation.yield(.finished(GenerationSummary(
            finishReason: reason, stopCause: reason == .stop ? request.output.stopCause : nil,
            promptTokens: request.request.prompt.count, cachedPromptTokens: request.cachedPromptTokens ?? 0,
            completionTokens: generated, preemptions: preemptions)))
        request.continuation.finish()
    }
}
