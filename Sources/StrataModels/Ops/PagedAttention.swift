import CStrataKernels
import StrataKernels

/// Causal multi-head attention with grouped KV heads over the fp16 paged KV cache, computed as
/// llama.cpp's CPU flash attention does (fp16 query, online softmax, fp16 value accumulation).
///
/// Each (row, KV head) group is computed on its own, with the same arithmetic whatever else is in
/// the batch, so results do not depend on batch composition or thread count.
struct PagedAttention: Sendable {
    /// Query heads.
    let heads: Int
    /// Key/value heads; query head `h` uses KV head `h / (heads / kvHeads)`.
    let kvHeads: Int
    /// Floats per head.
    let headSize: Int
    /// Multiplier applied to queries before they are rounded to fp16.
    let queryScale: Float
    /// Multiplier applied to q·k.
    let scoreScale: Float
    /// Sliding window: a row at position p sees positions p - window + 1 ... p; nil sees all.
    let window: Int?

    var kvWidth: Int { kvHeads * headSize }

    /// Writes the K and V rows of `batch` into `cache` at their positions, rounded to fp16.
    func store(
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
        batch: PreparedBatch, layer: Int, cache: KVCache
    ) {
        let toHalf = HalfKernels.best.toHalf
        let group = cache.layout.group(ofLayer: layer)
        for row in 0 ..< batch.count {
            let table = batch.blockTable(row: row, group: group)
            let position = batch.position(row: row)
            toHalf(keys + row * kvWidth, cache.keySlot(layer: layer, blockTable: table, position: position), Int64(kvWidth))
            toHalf(values + row * kvWidth, cache.valueSlot(layer: layer, blockTable: table, position: position), Int64(kvWidth))
        }
    }

    /// out[row][head] = softmax(q·Kᵀ) · V over the row's visible positions.
    func attend(
        queries: UnsafePointer<Float>, batch: PreparedBatch, layer: Int, cache: KVCache,
        output: UnsafeMutablePointer<Float>, scratch: AttentionScratch, pool: ThreadPool
    ) {
        let groups = batch.count * kvHeads
        let workers = min(scratch.workerCount, pool.threadCount, groups)
        let headsPerGroup = heads / kvHeads
        let attend = HalfKernels.best.attend
        let queryWidth = heads * headSize
        let kvGroup = cache.layout.group(ofLayer: layer)
        pool.parallelFor(workers) { worker in
            let keyRows = scratch.keyRows(worker: worker)
            let valueRows = scratch.valueRows(worker: worker)
            let halfScratch = scratch.halfScratch(worker: worker)
            var group = worker
            while group < groups {
                let row = group / kvHeads, kvHead = group % kvHeads
                let table = batch.blockTable(row: row, group: kvGroup)
                let position = batch.position(row: row)
                let first = window.map { max(0, position - $0 + 1) } ?? 0
                let count = position - first + 1
                let headOffset = kvHead * headSize
                for index in 0 ..< count {
                    keyRows[index] = UnsafePointer(cache.keySlot(layer: layer, blockTable: table, position: first + index) + headOffset)
                    valueRows[index] = UnsafePointer(cache.valueSlot(layer: layer, blockTable: table, position: first + index) + headOffset)
                }
                for head in kvHead * headsPerGroup ..< (kvHead + 1) * headsPerGroup {
                    let offset = row * queryWidth + head * headSize
                    attend(Int64(headSize), Int64(count), queries + offset, queryScale, scoreScale,
                           keyRows, valueRows, halfScratch, output + offset)
                }
                group += workers
            }
        }
    }
}

/// The fp16 kernels (attention, conversion) for this CPU, looked up once.
struct HalfKernels: Sendable {
    let attend: strata_attend_fn
    let toHalf: strata_to_fp16_fn

    static let best: HalfKernels = {
        let table = strata_attention_best().pointee
        return HalfKernels(attend: table.attend, toHalf: table.to_fp16)
    }()
}

/// Per-worker buffers for attention, allocated once for the longest context.
final class AttentionScratch: @unchecked Sendable {
    // Safety: worker `w` only ever touches its own slices.
    let workerCount: Int
    let maxContext: Int
    let headSize: Int
    private let rows: UnsafeMutablePointer<UnsafePointer<UInt16>?>  // [worker][2][maxContext]
    private let half: UnsafeMutablePointer<UInt16>                   // [worker][2 · headSize]

    init(workerCount: Int, maxContext: Int, headSize: Int) {
        self.workerCount = workerCount
        self.maxContext = maxContext
        self.headSize = headSize
        rows = .allocate(capacity: workerCount * 2 * maxContext)
        rows.initialize(repeating: nil, count: workerCount * 2 * maxContext)
        half = .allocate(capacity: workerCount * 2 * headSize)
        half.initialize(repeating: 0, count: workerCount * 2 * headSize)
    }

    deinit {
        rows.deallocate()
        half.deallocate()
    }

    func keyRows(worker: Int) -> UnsafeMutablePointer<UnsafePointer<UInt16>?> { rows + worker * 2 * maxContext }
    func valueRows(worker: Int) -> UnsafeMutablePointer<UnsafePointer<UInt16>?> { rows + (worker * 2 + 1) * maxContext }
    func halfScratch(worker: Int) -> UnsafeMutablePointer<UInt16> { half + worker * 2 * headSize }
}
