/// y[t][r] = Σ_c W[r][c] · x[t][c] for `tokens` rows of f32 activations.
///
/// - `x` is laid out [tokens][w.columns], `y` is [tokens][w.rows].
/// - Activations are quantized once into `scratch` (to the format the weights multiply with), then
///   row × token blocks are spread over `pool`. Nothing is allocated.
/// - Batch invariant: each output is one whole-row dot product of a weight row with one token's
///   activations, so it is bit-identical whatever `tokens`, the token's position and the thread count.
///
/// Preconditions (caller invariants): `1 <= tokens <= scratch.maxTokens`, `w.columns <= scratch.maxColumns`;
/// `scratch` is not used by another product at the same time.
public func multiply(_ w: WeightMatrix, input x: UnsafePointer<Float>, tokens: Int,
                     output y: UnsafeMutablePointer<Float>, scratch: MatMulScratch, pool: ThreadPool) {
    precondition(tokens >= 1 && tokens <= scratch.maxTokens, "tokens \(tokens) outside 1...\(scratch.maxTokens)")
    precondition(w.columns <= scratch.maxColumns, "\(w.columns) columns exceed scratch's \(scratch.maxColumns)")
    let kernels = w.kernels
    let columns = w.columns
    let activations: UnsafeRawPointer
    let activationRowBytes: Int
    if kernels.usesFloatActivations {
        activations = UnsafeRawPointer(x)
        activationRowBytes = columns * MemoryLayout<Float>.stride
    } else {
        activationRowBytes = w.activationRowBytes
        let buffer = scratch.buffer
        if tokens == 1 {
            kernels.quantizeActivation(x, buffer, Int64(columns))
        } else {
            pool.parallelFor(tokens) { t in
                kernels.quantizeActivation(x + t * columns, buffer + t * activationRowBytes, Int64(columns))
            }
        }
        activations = UnsafeRawPointer(buffer)
    }

    let plan = MatMulPlan(rows: w.rows, tokens: tokens, rowBytes: w.rowBytes,
                          activationRowBytes: activationRowBytes, threads: pool.threadCount)
    let rows = w.rows
    let rowBytes = w.rowBytes
    let weights = w.data
    pool.parallelFor(plan.chunkCount) { index in
        let chunk = plan.chunk(index)
        kernels.mulTile(Int64(columns), weights + chunk.rows.lowerBound * rowBytes, rowBytes,
                        Int64(chunk.rows.count),
                        activations + chunk.tokens.lowerBound * activationRowBytes, activationRowBytes,
                        Int64(chunk.tokens.count),
                        y + chunk.tokens.lowerBound * rows + chunk.rows.lowerBound, rows)
    }
}

/// Expands row `row` of `w` into `columns` floats at `out` (embedding lookup).
///
/// Precondition (caller invariant): `0 <= row < w.rows`.
public func dequantizeRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>) {
    precondition(row >= 0 && row < w.rows, "row \(row) outside 0..<\(w.rows)")
    w.kernels.dequantize(w.rowPointer(row), out, Int64(w.columns))
}
