import StrataEngine
import StrataModels
import StrataScheduling

/// One pipeline stage in a worker: its layers, its share of the KV cache (the coordinator's block
/// ids, its layers only) and, on the last stage, the samplers. Runs one step at a time.
public final class StageExecutor {
    private let model: any LanguageModel
    private let cache: KVCache
    private let state: ForwardState
    private let logits: UnsafeMutablePointer<Float> // [maxRunning][vocabularySize]
    private var samplers: [SequenceID: SequenceSampler] = [:]
    /// The stage's sizes.
    public let configuration: StageConfiguration

    /// A stage over `model` (a layer range) with buffers sized by `configuration`.
    public init(model: any LanguageModel, configuration: StageConfiguration) {
        self.model = model
        self.configuration = configuration
        cache = model.makeKVCache(blockCount: configuration.blockCount, blockSize: configuration.blockSize)
        state = model.makeForwardState(maxTokens: configuration.maxBatchTokens, maxContext: configuration.contextLength,
                                       threads: configuration.threads)
        logits = .allocate(capacity: (model.layers.isLastStage ? configuration.maxRunning : 1) * model.shape.vocabularySize)
    }

    deinit { logits.deallocate() }

    /// The layers held.
    public var layers: LayerRange { model.layers }
    /// The model's sizes.
    public var shape: ModelShape { model.shape }

    /// Runs `request` through the held layers: the first stage embeds tokens, others continue from
    /// the hidden states sent; the last stage samples, others return their output rows.
    public func execute(_ request: StepRequest) throws(ClusterError) -> StepResponse {
        try validate(request)
        let rows = request.rowCount
        let width = model.shape.embeddingWidth
        var tokens: [Int32]
        switch request.input {
        case let .tokens(ids): tokens = ids
        case let .hidden(hidden):
            tokens = [Int32](repeating: 0, count: rows)
            hidden.values.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { state.hidden.update(from: base, count: rows * width) }
            }
        }
        if model.layers.isLastStage {
            for sequence in request.newSequences { samplers[sequence.id] = SequenceSampler(sequence.sampling) }
            for id in request.removedSequences { samplers[id] = nil }
            if let unknown = request.samples.first(where: { samplers[$0.sequenceID] == nil }) {
                throw .invalidStep("sequence \(unknown.sequenceID) has no sampler on this stage")
            }
        }
        model.forward(ForwardBatch(tokens: tokens, positions: request.positions, sequenceIndices: request.sequenceIndices,
                                   blockTables: request.blockTables),
                      state: state, cache: cache)
        tokens = []
        guard model.layers.isLastStage else {
            return .hidden(stepID: request.stepID, HiddenStates(copying: state.hidden, rows: rows, width: width,
                                                                      encoding: request.outputEncoding))
        }
        guard !request.samples.isEmpty else { return .sampled(stepID: request.stepID, tokens: []) }
        let vocabulary = model.shape.vocabularySize
        model.logits(rows: request.samples.map(\.row), state: state, into: logits)
        var sampled: [SampledToken] = []
        for (index, sample) in request.samples.enumerated() {
            // Checked above; mutated in place so a sampler's history is never copied.
            if let token = samplers[sample.sequenceID]?.choose(from: logits + index * vocabulary, count: vocabulary) {
                sampled.append(token)
            }
        }
        return .sampled(stepID: request.stepID, tokens: sampled)
    }

    /// Everything the forward pass trusts: input kind and width, row and sample counts, block ids
    /// inside the pool, positions inside the context and covered by the block table.
    private func validate(_ request: StepRequest) throws(ClusterError) {
        let rows = request.rowCount
        guard rows >= 1, rows <= configuration.maxBatchTokens, request.sequenceIndices.count == rows,
              request.input.rowCount == rows
        else { throw .invalidStep("\(rows) rows (at most \(configuration.maxBatchTokens), arrays of equal length)") }
        switch request.input {
        case let .tokens(ids):
            guard model.layers.isFirstStage else { throw .invalidStep("token ids sent to a stage that does not embed") }
            guard ids.allSatisfy({ $0 >= 0 && Int($0) < model.shape.vocabularySize }) else {
                throw .invalidStep("a token id is outside the vocabulary")
            }
        case let .hidden(hidden):
            guard !model.layers.isFirstStage else { throw .invalidStep("hidden states sent to the first stage") }
            guard hidden.width == model.shape.embeddingWidth else {
                throw .invalidStep("hidden width \(hidden.width), the model's is \(model.shape.embeddingWidth)")
            }
        }
        guard request.samples.count <= configuration.maxRunning else {
            throw .invalidStep("\(request.samples.count) samples (at most \(configuration.maxRunning))")
        }
        let blockSize = configuration.blockSize
        for table in request.blockTables where table.contains(where: { $0 < 0 || Int($0) >= configuration.blockCount }) {
            throw .invalidStep("a block id is outside the pool of \(configuration.blockCount)")
        }
        for (position, index) in zip(request.positions, request.sequenceIndices) {
            let table = request.blockTables[Int(index)]
            guard Int(position) < configuration.contextLength, Int(position) / blockSize < table.count else {
                throw .invalidStep("position \(position) is outside its sequence's blocks or the context")
            }
        }
        for sequence in request.newSequences {
            guard (sequence.sampling.topLogprobs ?? 0) <= 20 else { throw .invalidStep("top logprobs above 20") }
        }
    }
}
