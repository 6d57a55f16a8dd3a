/// How one matrix product is cut into chunks for the thread pool.
///
/// A chunk is a block of rows times a block of tokens. Token blocks are sized so their quantized
/// activations stay in L1 while a row block's weights are reused across them; row blocks are sized
/// so there are enough chunks for dynamic load balancing. The split never changes a result: every
/// output is one whole-row `vec_dot`, whichever chunk computes it.
struct MatMulPlan {
    let rows: Int
    let tokens: Int
    let rowsPerChunk: Int
    let tokensPerChunk: Int
    let rowBlocks: Int
    let tokenBlocks: Int

    /// Bytes of activations a token block aims to stay within (about L1 size).
    static let activationBlockBytes = 24 * 1024
    /// Tokens the tile kernels take per pass over a weight row (STRATA_LEGACY_TOKENS, STRATA_TILE_TOKENS);
    /// token blocks are multiples of it.
    static let kernelTokens = 8
    /// Bytes of weights a row block aims for when there is a single token block.
    static let weightBlockBytes = 256 * 1024

    init(rows: Int, tokens: Int, rowBytes: Int, activationRowBytes: Int, threads: Int) {
        self.rows = rows
        self.tokens = tokens
        let tokensPerChunk: Int
        if tokens <= Self.kernelTokens {
            tokensPerChunk = tokens
        } else {
            let fit = Self.activationBlockBytes / max(1, activationRowBytes) / Self.kernelTokens * Self.kernelTokens
            tokensPerChunk = min(tokens, max(Self.kernelTokens, fit))
        }
        let tokenBlocks = (tokens + tokensPerChunk - 1) / tokensPerChunk
        // Enough chunks to balance (8 per thread), no more than the cache-sized block asks for.
        let byCache = max(4, Self.weightBlockBytes / max(1, rowBytes * max(1, tokensPerChunk / Self.kernelTokens)))
        let byBalance = max(4, rows / max(1, threads * 8 / tokenBlocks))
        let rowsPerChunk = min(rows, (min(byCache, byBalance) + 3) / 4 * 4)
        self.tokensPerChunk = tokensPerChunk
        self.tokenBlocks = tokenBlocks
        self.rowsPerChunk = rowsPerChunk
        self.rowBlocks = (rows + rowsPerChunk - 1) / rowsPerChunk
    }

    var chunkCount: Int { rowBlocks * tokenBlocks }

    /// The rows and tokens of chunk `index` (consecutive chunks share a token block).
    @inline(__always)
    func chunk(_ index: Int) -> (rows: Range<Int>, tokens: Range<Int>) {
        let rowBlock = index % rowBlocks
        let tokenBlock = index / rowBlocks
        let r0 = rowBlock * rowsPerChunk
        let t0 = tokenBlock * tokensPerChunk
        return (r0..<min(rows, r0 + rowsPerChunk), t0..<min(tokens, t0 + tokensPerChunk))
    }
}
