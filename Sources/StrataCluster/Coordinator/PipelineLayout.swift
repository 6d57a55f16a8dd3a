/// What the handshakes of a pipeline's workers agree on: the stages tile `[0, layerCount)` in
/// order, and the pipeline's limits are the smallest any stage offers.
public struct PipelineLayout: Sendable, Equatable {
    /// The handshakes, stage by stage.
    public let stages: [Handshake]
    /// KV blocks usable by the coordinator: the fewest any stage holds.
    public let blockCount: Int
    public let blockSize: Int
    public let maxBatchTokens: Int
    public let contextLength: Int
    /// Most sequences sampled per step (the last stage's buffer).
    public let maxRunning: Int
    public let vocabularySize: Int
    public let layerCount: Int

    /// Checks `stages` (in pipeline order) against each other and `modelDigest`.
    public init(stages: [Handshake], modelDigest: [UInt8]) throws(ClusterError) {
        guard let first = stages.first, let last = stages.last else { throw .topology("a pipeline needs at least one worker") }
        var expectedFirst = 0
        for (index, stage) in stages.enumerated() {
            guard stage.modelDigest == modelDigest else {
                throw .topology("stage \(index + 1) serves model \(ModelDigest.hex(stage.modelDigest)), not \(ModelDigest.hex(modelDigest))")
            }
            guard stage.layerCount == first.layerCount, stage.blockSize == first.blockSize,
                  stage.embeddingWidth == first.embeddingWidth, stage.vocabularySize == first.vocabularySize
            else { throw .topology("stage \(index + 1) disagrees with stage 1 on the model's shape or the KV block size") }
            guard stage.firstLayer == expectedFirst else {
                throw .topology("stage \(index + 1) holds layers \(stage.firstLayer):\(stage.lastLayer), but layer \(expectedFirst) is next")
            }
            expectedFirst = stage.lastLayer
        }
        guard last.lastLayer == last.layerCount else {
            throw .topology("the stages end at layer \(last.lastLayer) of \(last.layerCount)")
        }
        self.stages = stages
        blockCount = stages.map(\.blockCount).min() ?? 0
        blockSize = first.blockSize
        maxBatchTokens = stages.map(\.maxBatchTokens).min() ?? 0
        contextLength = stages.map(\.contextLength).min() ?? 0
        maxRunning = last.maxRunning
        vocabularySize = first.vocabularySize
        layerCount = first.layerCount
        guard blockCount >= 1, maxBatchTokens >= 1, contextLength >= 1, maxRunning >= 1 else {
            throw .topology("a stage offers no KV blocks or no batch room")
        }
    }

    /// Whether `handshake` (a reconnected worker) still fits stage `index` of this layout.
    func admits(_ handshake: Handshake, asStage index: Int) -> Bool {
        let stage = stages[index]
        return handshake.modelDigest == stage.modelDigest && handshake.firstLayer == stage.firstLayer
            && handshake.lastLayer == stage.lastLayer && handshake.blockSize == blockSize
            && handshake.blockCount >= blockCount && handshake.maxBatchTokens >= maxBatchTokens
            && handshake.contextLength >= contextLength && (index < stages.count - 1 || handshake.maxRunning >= maxRunning)
    }
}
