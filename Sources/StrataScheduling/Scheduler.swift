/// Iteration-level scheduler over a paged KV cache, after vLLM and nano-vllm.
///
/// Each step: `let batch = scheduler.schedule()`, run the model on it, then
/// `scheduler.postprocess(batch, sampledTokens: ...)`. A batch mixes decode tokens of running
/// sequences with prefill chunks (chunked prefill) under `maxBatchTokens` tokens and
/// `maxRunning` sequences. Queues are kept in urgency order: lower `priority` first, then
/// earlier arrival (FCFS). When blocks run out, the least urgent running sequences (highest
/// priority value, most recent) are preempted: their blocks are freed and they go back to the
/// waiting queue ahead of every later arrival of their priority, to be recomputed later, reusing
/// whatever of their prefix is still cached.
///
/// With sliding-window KV groups (`SchedulerConfig.groupWindows`), each step's `postprocess`
/// releases the blocks that fell wholly before each sequence's window, and admission, appends
/// and preemption count the blocks of every group.
///
/// Pure logic: no I/O, no clocks, no concurrency; the caller serialises calls.
public struct Scheduler: Sendable {
    /// Limits and pool size.
    public let config: SchedulerConfig
    /// The KV block pool.
    public private(set) var blockManager: BlockManager
    /// Sequences waiting for admission (new or preempted), most urgent first; they hold no blocks.
    public private(set) var waiting: [SequenceState] = []
    /// Admitted sequences, prefilling or decoding, most urgent first.
    public private(set) var running: [SequenceState] = []
    /// Preemptions since creation.
    public private(set) var preemptionCount = 0

    private var nextArrival = 0
    private var inFlight: Set<SequenceID> = []        // sequences in the batch awaiting postprocess
    private var pendingCancellations: Set<SequenceID> = []

    /// An empty scheduler with a fresh block pool.
    public init(config: SchedulerConfig) {
        self.config = config
        blockManager = BlockManager(blockCount: config.blockCount, blockSize: config.blockSize, groupWindows: config.groupWindows)
    }

    /// Whether no sequence is waiting or running.
    public var isIdle: Bool { waiting.isEmpty && running.isEmpty }

    /// The waiting or running sequence with `id`.
    public func sequence(_ id: SequenceID) -> SequenceState? {
        running.first { $0.id == id } ?? waiting.first { $0.id == id }
    }

    // MARK: Admission

    /// Queues a request, or refuses it: a request that can never run (empty, over the context
    /// length, or needing more KV blocks than the pool holds) or one arriving at a full queue.
    public mutating func add(
        id: SequenceID, prompt: [Int32], maxTokens: Int, priority: Int = 0
    ) throws(SchedulingError) {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        guard maxTokens >= 1 else { throw .invalidMaxTokens(maxTokens) }
        guard prompt.count + maxTokens <= config.contextLength else {
            throw .exceedsContextLength(
                promptTokens: prompt.count, maxTokens: maxTokens, contextLength: config.contextLength)
        }
        // The last sampled token's KV is never computed.
        let required = blockManager.blocksRequired(tokens: prompt.count + maxTokens - 1, maxChunk: config.maxBatchTokens)
        guard required <= config.blockCount else {
            throw .exceedsCachePool(requiredBlocks: required, blockCount: config.blockCount)
        }
        guard sequence(id) == nil else { throw .duplicateID(id) }
        guard waiting.count < config.maxWaiting else { throw .queueFull(limit: config.maxWaiting) }
        let sequence = SequenceState(
            id: id, promptTokens: prompt, maxTokens: maxTokens, priority: priority, arrival: nextArrival)
        nextArrival += 1
        insertWaiting(sequence)
    }

    // MARK: Cancellation

    /// Cancels a waiting or running sequence; returns false if there is none with `id`.
    ///
    /// Its blocks are released now, or, if it is in the batch being run, by that batch's
    /// `postprocess`. Cancelled sequences are not reported as finished.
    @discardableResult
    public mutating func cancel(_ id: SequenceID) -> Bool {
        if let index = waiting.firstIndex(where: { $0.id == id }) {
            waiting.remove(at: index)
            return true
        }
        guard let index = running.firstIndex(where: { $0.id == id }) else { return false }
        if inFlight.contains(id) {
            pendingCancellations.insert(id)
        } else {
            var sequence = running.remove(at: index)
            blockManager.free(&sequence)
        }
        return true
    }

    // MARK: Step

    /// Chooses the next batch: running sequences first (most urgent first, preempting the least
    /// urgent when blocks run out), then, if nothing was preempted, waiting ones in order while
    /// the budgets and the pool allow (head-of-line: a waiting sequence that does not fit stops
    /// admission, so later arrivals never overtake it).
    public mutating func schedule() -> ScheduledBatch {
        precondition(inFlight.isEmpty, "schedule() called again before postprocess()")
        var budget = config.maxBatchTokens
        var entries: [ScheduledBatch.Entry] = []
        var preempted: [SequenceID] = []

        var index = 0
        scheduling: while index < running.count, budget > 0 {
            let count = min(running[index].uncomputedTokenCount, budget)
            while !blockManager.canAppend(running[index], tokens: count) {
                let victim = running.count - 1
                preempted.append(running[victim].id)
                preempt(at: victim)
                if victim == index { break scheduling }
            }
            blockManager.appendSlot(&running[index], tokens: count)
            entries.append(entry(for: running[index], count: count))
            budget -= count
            index += 1
        }

        if preempted.isEmpty {
            while budget > 0, running.count < config.maxRunning, var sequence = waiting.first {
                let cached = blockManager.cachedPrefix(of: sequence).blockCount * config.blockSize
                let count = min(sequence.tokenCount - cached, budget)
                guard blockManager.canAllocate(sequence, tokens: count) else { break }
                waiting.removeFirst()
                blockManager.allocate(&sequence, tokens: count)
                sequence.status = .running
                entries.append(entry(for: sequence, count: count))
                budget -= count
                let position = running.firstIndex { sequence.isMoreUrgent(than: $0) } ?? running.endIndex
                running.insert(sequence, at: position)
            }
        }
        inFlight = Set(entries.map(\.sequenceID))
        return ScheduledBatch(entries: entries, preempted: preempted)
    }

    /// Records a run of `batch`: marks its tokens computed, appends one sampled token per entry
    /// with `samplesNextToken` (in `batch.samplingSequenceIDs` order), and finishes sequences
    /// that reached `maxTokens` or whose id is in `stopped`, releasing their blocks.
    /// Returns the sequences finished in this step.
    public mutating func postprocess(
        _ batch: ScheduledBatch, sampledTokens: [Int32], stopped: Set<SequenceID> = []
    ) -> [SequenceState] {
        precondition(sampledTokens.count == batch.entries.count(where: \.samplesNextToken))
        var finished: [SequenceState] = []
        var sampled = sampledTokens.makeIterator()
        for entry in batch.entries {
            let token = entry.samplesNextToken ? sampled.next() : nil
            guard !pendingCancellations.contains(entry.sequenceID),
                  let index = running.firstIndex(where: { $0.id == entry.sequenceID })
            else { continue }
            precondition(running[index].computedTokenCount == entry.startPosition, "stale batch")
            running[index].computedTokenCount += entry.tokens.count
            blockManager.registerFullBlocks(&running[index])
            blockManager.releaseOutOfWindowBlocks(&running[index])
            guard let token else { continue }
            running[index].generatedTokens.append(token)
            if stopped.contains(entry.sequenceID) {
                finished.append(finish(at: index, .stop))
            } else if running[index].generatedTokens.count >= running[index].maxTokens {
                finished.append(finish(at: index, .length))
            }
        }
        for id in pendingCancellations {
            if let index = running.firstIndex(where: { $0.id == id }) { _ = finish(at: index, .cancelled) }
        }
        pendingCancellations = []
        inFlight = []
        return finished
    }

    /// Records that `batch` could not be run (a pipeline stage failed): every sequence in it is
    /// ended and its blocks released; the others are untouched. Returns the ended sequences
    /// (not those cancelled meanwhile, which, as in `postprocess`, are not reported).
    public mutating func abandon(_ batch: ScheduledBatch) -> [SequenceState] {
        var ended: [SequenceState] = []
        for entry in batch.entries {
            guard let index = running.firstIndex(where: { $0.id == entry.sequenceID }) else { continue }
            let sequence = finish(at: index, .cancelled)
            if !pendingCancellations.contains(sequence.id) { ended.append(sequence) }
        }
        pendingCancellations = []
        inFlight = []
        return ended
    }

    // MARK: Helpers

    private func entry(for sequence: SequenceState, count: Int) -> ScheduledBatch.Entry {
        let start = sequence.computedTokenCount
        return ScheduledBatch.Entry(
            sequenceID: sequence.id,
            tokens: (start ..< start + count).map(sequence.token(at:)),
            startPosition: start,
            blockTables: sequence.blockTables,
            samplesNextToken: start + count == sequence.tokenCount
        )
    }

    private mutating func preempt(at index: Int) {
        var sequence = running.remove(at: index)
        blockManager.free(&sequence)
        sequence.status = .waiting
        sequence.cachedTokenCount = 0
        sequence.preemptionCount += 1
        preemptionCount += 1
        insertWaiting(sequence)
    }

    private mutating func finish(at index: Int, _ reason: SequenceState.FinishReason) -> SequenceState {
        var sequence = running.remove(at: index)
        blockManager.free(&sequence)
        sequence.status = .finished(reason)
        return sequence
    }

    /// Inserts ahead of every less urgent waiting sequence.
    private mutating func insertWaiting(_ sequence: SequenceState) {
        let position = waiting.firstIndex { sequence.isMoreUrgent(than: $0) } ?? waiting.endIndex
        waiting.insert(sequence, at: position)
    }
}
