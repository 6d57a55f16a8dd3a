import StrataKernels

/// Everything a forward pass writes besides the KV cache: activation buffers sized for the
/// largest batch, kernel scratch and the thread pool. Allocated once; a forward pass never allocates.
///
/// One state serves one forward pass at a time.
public final class ForwardState: @unchecked Sendable {
    // Safety: a state is used by one forward pass at a time (the engine loop owns it); inside a
    // pass, parallel workers write disjoint rows.

    /// Most batch rows a forward pass may have.
    public let maxTokens: Int
    /// Most positions a sequence may have.
    public let maxContext: Int
    /// The pool that parallel kernels run on.
    public let pool: ThreadPool

    /// The residual stream, `[maxTokens][embeddingWidth]`: a stage's input and output.
    public let hidden: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>     // [maxTokens][max(embeddingWidth, queryWidth)]
    let queries: UnsafeMutablePointer<Float>    // [maxTokens][queryWidth]
    let keys: UnsafeMutablePointer<Float>       // [maxTokens][kvWidth]
    let values: UnsafeMutablePointer<Float>     // [maxTokens][kvWidth]
    let attention: UnsafeMutablePointer<Float>  // [maxTokens][queryWidth]
    let gate: UnsafeMutablePointer<Float>       // [maxTokens][feedForwardWidth]
    let up: UnsafeMutablePointer<Float>         // [maxTokens][feedForwardWidth]
    let ropeAngles: UnsafeMutablePointer<Float> // [2][maxTokens][headSize] cos then sin per row, per RoPE kind
    let halves: UnsafeMutablePointer<UInt16>    // [maxTokens][feedForwardWidth] fp16 scratch
    let matMulScratch: MatMulScratch
    let attentionScratch: AttentionScratch
    let batch: PreparedBatch
    private let allocations: [UnsafeMutablePointer<Float>]

    init(shape: ModelShape, maxTokens: Int, maxContext: Int, threads: Int) {
        precondition(maxTokens > 0 && maxContext > 0 && threads > 0)
        self.maxTokens = maxTokens
        self.maxContext = maxContext
        pool = ThreadPool(threadCount: threads)
        let width = max(shape.embeddingWidth, shape.queryWidth, shape.feedForwardWidth)
        func buffer(_ columns: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: maxTokens * columns)
            pointer.initialize(repeating: 0, count: maxTokens * columns)
            return pointer
        }
        hidden = buffer(shape.embeddingWidth)
        normed = buffer(max(shape.embeddingWidth, shape.queryWidth))
        queries = buffer(shape.queryWidth)
        keys = buffer(shape.kvWidth)
        values = buffer(shape.kvWidth)
        attention = buffer(shape.queryWidth)
        gate = buffer(shape.feedForwardWidth)
        up = buffer(shape.feedForwardWidth)
        ropeAngles = buffer(2 * shape.headSize)
        allocations = [hidden, normed, queries, keys, values, attention, gate, up, ropeAngles]
        halves = .allocate(capacity: maxTokens * shape.feedForwardWidth)
        halves.initialize(repeating: 0, count: maxTokens * shape.feedForwardWidth)
        matMulScratch = MatMulScratch(maxTokens: maxTokens, maxColumns: width)
        attentionScratch = AttentionScratch(workerCount: threads, maxContext: maxContext, headSize: shape.headSize)
        batch = PreparedBatch(maxRows: maxTokens)
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
        halves.deallocate()
    }

    /// The cosines and sines of row `row` for RoPE table `table` (0 or 1), as filled by the model.
    @inline(__always)
    func ropeAngles(table: Int, row: Int, headSize: Int) -> UnsafeMutablePointer<Float> {
        ropeAngles + (table * maxTokens + row) * headSize
    }

    /// y[rows][w.rows] = x[rows][w.columns] · Wᵀ on the pool.
    @inline(__always)
    func project(_ weight: WeightMatrix, _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        multiply(weight, input: input, tokens: rows, output: output, scratch: matMulScratch, pool: pool)
    }
}
