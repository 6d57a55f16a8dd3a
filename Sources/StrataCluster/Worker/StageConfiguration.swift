/// Sizes of a worker's stage: its KV pool and the buffers of one step.
public struct StageConfiguration: Sendable, Equatable {
    /// KV blocks in the pool.
    public var blockCount: Int
    /// Tokens per KV block (must equal the coordinator's).
    public var blockSize: Int
    /// Most rows per step.
    public var maxBatchTokens: Int
    /// Most positions per sequence.
    public var contextLength: Int
    /// Most rows sampled per step.
    public var maxRunning: Int
    /// Threads of the forward pass.
    public var threads: Int

    public init(blockCount: Int, blockSize: Int, maxBatchTokens: Int, contextLength: Int, maxRunning: Int, threads: Int) {
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.maxBatchTokens = maxBatchTokens
        self.contextLength = contextLength
        self.maxRunning = maxRunning
        self.threads = threads
    }
}
