import StrataModels
import StrataScheduling
import StrataTokenizer

/// The engine's step: schedule a batch, run the model on it, choose each sequence's next token,
/// record the results. Owns the scheduler, the KV cache and every request's state; used only
/// by the engine's loop thread.
final class EngineLoop {
    private var scheduler: Scheduler
    private let model: any LanguageModel
    private let tokenizer: any Tokenizer
    private let cache: KVCache
    private let state: ForwardState
    private let logits: UnsafeMutablePointer<Float> // [maxRunning][vocabularySize]
    private let vocabularySize: Int
    private let endOfGeneration: Set<Int32>
    private var requests: [SequenceID: RequestState] = [:]
    private var statistics = EngineStatistics()

    init(model: any LanguageModel, tokenizer: any Tokenizer, config: SchedulerConfig, threads: Int) {
        scheduler = Scheduler(config: config)
        self.model = model
        self.tokenizer = tokenizer
        cache = model.makeKVCache(blockCount: config.blockCount, blockSize: config.blockSize)
        state = model.makeForwardState(maxTokens: config.maxBatchTokens, maxContext: config.contextLength, threads: threads)
        vocabularySize = model.shape.vocabularySize
        logits = .allocate(capacity: config.maxRunning * vocabularySize)
        endOfGeneration = Set((0 ..< Int32(tokenizer.vocabularySize)).filter(tokenizer.isEndOfGeneration))
        statistics.totalBlocks = config.blockCount
    }

    deinit { logits.deallocate() }

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
        requests[id] = RequestState(
            request: request, tokenizer: tokenizer, endOfGeneration: endOfGeneration, continuation: continuation)
    }

    /// Cancels a request; its blocks are free by the end of the next step at the latest.
    func cancel(_ id: SequenceID, reason: GenerationSummary.FinishReason = .cancelled) {
        guard scheduler.cancel(id), let request = requests.removeValue(forKey: id) else { return }
        finish(request, reason: reason, generated: request.generatedCount, preemptions: 0)
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
        let rows = batch.rows()
        model.forward(
            ForwardBatch(tokens: rows.tokens, positions: rows.positions, sequenceIndices: rows.sequenceIndices,
                         blockTables: rows.blockTables),
            state: state, cache: cache)

        var sampleRows: [Int] = []
        var row = 0
        for entry in batch.entries {
            row += entry.tokens.count
            if entry.samplesNextToken { sampleRows.append(row - 1) }
        }
        if !sampleRows.isEmpty { model.logits(rows: sampleRows, state: state, into: logits) }

        var sampled: [Int32] = []
        var stopped: Set<SequenceID> = []
        var outputs: [SequenceID: GenerationOutput] = [:]
        for (index, id) in batch.samplingSequenceIDs.enumerated() {
            // Mutated in place through the dictionary, so per-request state is never copied.
            guard let (token, logprob) = requests[id]?.choose(from: logits + index * vocabularySize, count: vocabularySize),
                  let text = requests[id]?.accept(token)
            else { preconditionFailure("scheduled sequence \(id) has no request state") }
            if requests[id]?.stopCause != nil { stopped.insert(id) }
            sampled.append(token)
            outputs[id] = GenerationOutput(tokens: [token], text: text, logprobs: logprob.map { [$0] } ?? [])
        }

        let finished = scheduler.postprocess(batch, sampledTokens: sampled, stopped: stopped)
        var finishedByID: [SequenceID: SequenceState] = [:]
        for sequence in finished { finishedByID[sequence.id] = sequence }
        for id in batch.samplingSequenceIDs {
            guard var output = outputs[id], var request = requests[id] else { continue }
            if let sequence = finishedByID[id] {
                if request.stopCause == nil { output.text += request.flush() }
                request.continuation.yield(.output(output))
                requests[id] = nil
                let reason: GenerationSummary.FinishReason = request.stopCause == nil ? .length : .stop
                finish(request, reason: reason, generated: sequence.generatedTokens.count,
                       preemptions: sequence.preemptionCount)
            } else {
                request.continuation.yield(.output(output))
                requests[id] = request
            }
        }
        statistics.steps += 1
        statistics.preemptions = scheduler.preemptionCount
    }

    /// The load and cache figures after the last step; `pending` counts requests not yet admitted.
    func snapshot(pending: Int) -> EngineStatistics {
        var snapshot = statistics
        snapshot.runningRequests = scheduler.running.count
        snapshot.waitingRequests = scheduler.waiting.count + pending
        snapshot.usedBlocks = scheduler.blockManager.usedBlockCount
        return snapshot
    }

    /// Notes the prefix-cache hits of sequences admitted for the first time in `batch`.
    private func recordAdmissions(_ batch: ScheduledBatch) {
        for entry in batch.entries where requests[entry.sequenceID]?.cachedPromptTokens == nil {
            let cached = scheduler.sequence(entry.sequenceID)?.cachedTokenCount ?? 0
            requests[entry.sequenceID]?.cachedPromptTokens = cached
            statistics.prefixCacheQueriedTokens += requests[entry.sequenceID]?.request.prompt.count ?? 0
            statistics.prefixCacheHitTokens += cached
        }
    }

    private func finish(_ request: RequestState, reason: GenerationSummary.FinishReason, generated: Int, preemptions: Int) {
        request.continuation.yield(.finished(GenerationSummary(
            finishReason: reason, stopCause: reason == .stop ? request.stopCause : nil,
            promptTokens: request.request.prompt.count, cachedPromptTokens: request.cachedPromptTokens ?? 0,
            completionTokens: generated, preemptions: preemptions)))
        request.continuation.finish()
    }
}
