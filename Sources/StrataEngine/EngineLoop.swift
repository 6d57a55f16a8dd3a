import StrataModels
import StrataScheduling
import StrataTokenizer

/// The engine's step, as nano-vllm's: schedule a batch, execute it, record the chosen tokens.
/// Owns the scheduler and every request's output state; the executor owns the model, the KV
/// cache and the samplers. Used only by the engine's loop thread.
final class EngineLoop {
    /// One request as the loop sees it.
    private struct Request {
        let request: GenerationRequest
        let continuation: AsyncStream<GenerationEvent>.Continuation
        var output: OutputProcessor
        /// Prompt tokens found in the prefix cache at first admission; nil until admitted.
        var cachedPromptTokens: Int?
    }

    private var scheduler: Scheduler
    private let executor: any StepExecutor
    private let tokenizer: any Tokenizer
    private let endOfGeneration: Set<Int32>
    private var requests: [SequenceID: Request] = [:]
    private var statistics = EngineStatistics()

    init(executor: any StepExecutor, tokenizer: any Tokenizer, config: SchedulerConfig) {
        scheduler = Scheduler(config: config)
        self.executor = executor
        self.tokenizer = tokenizer
        endOfGeneration = tokenizer.vocabulary.endOfGenerationIDs
    }

    /// Whether no request is waiting or running.
    var isIdle: Bool { scheduler.isIdle }

    /// Queues a request; one the scheduler refuses ends at once with `.abort`.
    func admit(id: SequenceID, _ request: GenerationRequest, continuation: AsyncStream<GenerationEvent>.Continuation) {
        do {
            try scheduler.add(id: id, prompt: request.prompt, maxTokens: request.maxTokens, priority: request.priority)
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
            output: OutputProcessor(request: request, tokenizer: tokenizer, endOfGeneration: endOfGeneration))
    }

    /// Cancels a request; its blocks are free before the next step.
    func cancel(_ id: SequenceID, reason: GenerationSummary.FinishReason = .cancelled) {
        guard scheduler.cancel(id), let request = requests.removeValue(forKey: id) else { return }
        executor.removeSequence(id)
        finish(request, reason: reason, generated: request.output.generatedCount, preemptions: 0)
    }

    /// Ends every request with `reason`.
    func cancelAll(reason: GenerationSummary.FinishReason) {
        for id in Array(requests.keys) { cancel(id, reason: reason) }
    }

    /// Runs one step.
    func step() {
        let batch = scheduler.schedule()
        guard !batch.isEmpty else { return }
        recordAdmissions(batch)
        let sampled: [SampledToken]
        do {
            sampled = try executor.execute(batch)
        } catch {
            abandon(batch)
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

        let finished = scheduler.postprocess(batch, sampledTokens: sampled.map(\.token), stopped: stopped)
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
        statistics.preemptions = scheduler.preemptionCount
    }

    /// Ends every request of a batch that could not run with `.failed`, releasing its blocks.
    private func abandon(_ batch: ScheduledBatch) {
        for sequence in scheduler.abandon(batch) {
            guard let request = requests.removeValue(forKey: sequence.id) else { continue }
            executor.removeSequence(sequence.id)
            finish(request, reason: .failed, generated: sequence.generatedTokens.count, preemptions: sequence.preemptionCount)
        }
        statistics.steps += 1
    }

    /// The load and cache figures after the last step; `pending` counts requests not yet admitted.
    func snapshot(pending: Int) -> EngineStatistics {
        var snapshot = statistics
        snapshot.runningRequests = scheduler.running.count
        snapshot.waitingRequests = scheduler.waiting.count + pending
        snapshot.usedBlocks = scheduler.blockManager.usedBlockCount
        snapshot.totalBlocks = scheduler.blockManager.blockCount
        snapshot.windowReleasedBlocks = scheduler.blockManager.windowReleaseCount
        return snapshot
    }

    /// Notes the prefix-cache hits of sequences admitted for the first time in `batch`.
    private func recordAdmissions(_ batch: ScheduledBatch) {
        for entry in batch.entries {
            guard let request = requests[entry.sequenceID], request.cachedPromptTokens == nil else { continue }
            let cached = scheduler.sequence(entry.sequenceID)?.cachedTokenCount ?? 0
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
