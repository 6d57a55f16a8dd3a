#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StrataKernels

/// Causal multi-head attention with grouped KV heads, reading keys and values through block tables.
///
/// Each (row, head) pair is computed on its own, with the same arithmetic whatever else is in
/// the batch, so results do not depend on batch composition or thread count.
struct PagedAttention: Sendable {
    /// Query heads.
    let heads: Int
    /// Key/value heads; query head `h` uses KV head `h / (heads / kvHeads)`.
    let kvHeads: Int
    /// Floats per head.
    let headSize: Int
    /// Multiplier applied to q·k.
    let scale: Float
    /// Sliding window: a row at position p sees positions p - window + 1 ... p; nil sees all.
    let window: Int?

    var kvWidth: Int { kvHeads * headSize }

    /// Writes the K and V rows of `batch` into `cache` at their positions.
    func store(
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        batch: PreparedBatch, layer: Int, cache: KVCache
    ) {
        for row in 0 ..< batch.count {
            let table = batch.blockTable(row: row)
            let position = batch.position(row: row)
            cache.keySlot(layer: layer, blockTable: table, position: position)
                .update(from: keys + row * kvWidth, count: kvWidth)
            cache.valueSlot(layer: layer, blockTable: table, position: position)
                .update(from: values + row * kvWidth, count: kvWidth)
        }
    }

    /// out[row][head] = softmax(scale · q·Kᵀ) · V over the row's visible positions.
    func attend(
        queries: UnsafePointer<Float>, batch: PreparedBatch, layer: Int, cache: KVCache,
        output: UnsafeMutablePointer<Float>, scratch: AttentionScratch, pool: ThreadPool
    ) {
        let pairs = batch.count * heads
        let workers = min(scratch.workerCount, pool.threadCount, pairs)
        let groupSize = heads / kvHeads
        pool.parallelFor(workers) { worker in
            let scores = scratch.scores(worker: worker)
            var pair = worker
            while pair < pairs {
                let row = pair / heads, head = pair % heads
                attendOne(
                    query: queries + row * heads * headSize + head * headSize,
                    kvHead: head / groupSize, row: row, batch: batch, layer: layer, cache: cache,
                    scores: scores, output: output + row * heads * headSize + head * headSize
                )
                pair += workers
            }
        }
    }

    @inline(__always)
    private func attendOne(
        query: UnsafePointer<Float>, kvHead: Int, row: Int, batch: PreparedBatch, layer: Int,
        cache: KVCache, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let table = batch.blockTable(row: row)
        let position = batch.position(row: row)
        let first = window.map { max(0, position - $0 + 1) } ?? 0
        let count = position - first + 1
        let headOffset = kvHead * headSize
        var maximum = -Float.infinity
        for index in 0 ..< count {
            let key = cache.keySlot(layer: layer, blockTable: table, position: first + index) + headOffset
            let score = VectorOps.dot(query, key, headSize) * scale
            scores[index] = score
            maximum = max(maximum, score)
        }
        var total: Float = 0
        for index in 0 ..< count {
            let weight = expf(scores[index] - maximum)
            scores[index] = weight
            total += weight
        }
        output.initialize(repeating: 0, count: headSize)
        let normaliser = 1 / total
        for index in 0 ..< count {
            let value = cache.valueSlot(layer: layer, blockTable: table, position: first + index) + headOffset
            VectorOps.addScaled(output, value, scores[index] * normaliser, headSize)
        }
    }
}

/// Per-worker score buffers for attention, allocated once for the longest context.
final class AttentionScratch: @unchecked Sendable {
    // Safety: worker `w` only ever touches its own slice.
    let workerCount: Int
    let maxContext: Int
    private let buffer: UnsafeMutablePointer<Float>

    init(workerCount: Int, maxContext: Int) {
        self.workerCount = workerCount
        self.maxContext = maxContext
        buffer = .allocate(capacity: workerCount * maxContext)
    }

    deinit { buffer.deallocate() }

    func scores(worker: Int) -> UnsafeMutablePointer<Float> { buffer + worker * maxContext }
}
