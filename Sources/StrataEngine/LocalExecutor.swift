import StrataModels
import StrataScheduling

/// Runs engine steps on a model held in this process: one forward pass over all layers, then
/// each sampling sequence's next token from its row of logits.
public final class LocalExecutor: StepExecutor {
    private let model: any LanguageModel
    private let cache: KVCache
    private let groupCount: Int
    private let state: ForwardState
    private let logits: UnsafeMutablePointer<Float> // [maxRunning][vocabularySize]
    private let vocabularySize: Int
    private var samplers: [SequenceID: SequenceSampler] = [:]

    /// An executor running `model` (all layers) with a KV pool laid out as `layout` (default: one
    /// block table for every layer) and batch sizes from `config`, whose KV groups must be the layout's.
    public init(model: any LanguageModel, config: SchedulerConfig, threads: Int, layout: KVCacheLayout? = nil) {
        let layout = layout ?? .single(layers: model.layers)
        precondition(layout.groupWindows == config.groupWindows, "the scheduler's KV groups are not the cache's")
        self.model = model
        groupCount = layout.groupCount
        cache = model.makeKVCache(blockCount: config.blockCount, blockSize: config.blockSize, layout: layout)
        state = model.makeForwardState(maxTokens: config.maxBatchTokens, maxContext: config.contextLength, threads: threads)
        vocabularySize = model.shape.vocabularySize
        logits = .allocate(capacity: config.maxRunning * vocabularySize)
    }

    deinit { logits.deallocate() }

    public func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration) {
        samplers[id] = SequenceSampler(sampling)
    }

    public func removeSequence(_ id: SequenceID) {
        samplers[id] = nil
    }

    public func start(_ batch: ScheduledBatch, blockOffset: Int32) -> any StepInFlight {
        CompletedStep(.success(run(batch, blockOffset: blockOffset)))
    }

    private func run(_ batch: ScheduledBatch, blockOffset: Int32) -> [SampledToken] {
        let rows = batch.rows(blockOffset: blockOffset)
        model.forward(
            ForwardBatch(tokens: rows.tokens, positions: rows.positions, sequenceIndices: rows.sequenceIndices,
                         blockTables: rows.blockTables, groupCount: groupCount),
            state: state, cache: cache)
        var sampleRows: [Int] = []
        var row = 0
        for entry in batch.entries {
            row += entry.tokens.count
            if entry.samplesNextToken { sampleRows.append(row - 1) }
        }
        guard !sampleRows.isEmpty else { return [] }
        model.logits(rows: sampleRows, state: state, into: logits)
        return batch.samplingSequenceIDs.enumerated().map { index, id in
            // Mutated in place through the dictionary, so a sampler's history is never copied.
            guard let sampled = samplers[id]?.choose(from: logits + index * vocabularySize, count: vocabularySize) else {
                preconditionFailure("sequence \(id) was scheduled without a sampler")
            }
            return sampled
        }
    }
}
