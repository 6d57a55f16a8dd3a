import ArgumentParser
import StrataEngine

/// Options sizing the continuous-batching engine, shared by the commands that run it.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "KV cache budget in MiB (default: 1024, or less when that holds --max-running full contexts).")
    var kvCacheMb: Int?

    @Option(name: .long, help: "Most tokens (prefill chunks plus decode tokens) per engine step.")
    var maxBatchTokens = 512

    @Option(name: .long, help: "Most sequences running at once.")
    var maxRunning = 32

    @Option(name: .long, help: "Most requests waiting for admission; more are refused.")
    var maxWaiting = 1024

    @Option(name: .long, help: "Context length per sequence (default: the model's).")
    var ctxSize: Int?

    @Option(name: .long, help: "Tokens per KV cache block.")
    var blockSize = 16

    @Flag(name: .long, help: "Keep every layer's KV blocks for the whole sequence (one block table for all layers) instead of releasing sliding-window layers' blocks that fall behind the window.")
    var noKvWindowRelease = false

    func validate() throws {
        for (flag, value) in [
            ("--max-batch-tokens", maxBatchTokens), ("--max-running", maxRunning), ("--max-waiting", maxWaiting),
            ("--block-size", blockSize), ("--kv-cache-mb", kvCacheMb ?? 1), ("--ctx-size", ctxSize ?? 1),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1")
        }
    }

    /// The engine configuration these options describe, computing on `threads` threads.
    func configuration(threads: Int) -> EngineConfiguration {
        EngineConfiguration(
            kvCacheMegabytes: kvCacheMb, blockSize: blockSize, maxBatchTokens: maxBatchTokens,
            maxRunning: maxRunning, maxWaiting: maxWaiting, contextLength: ctxSize, threads: threads,
            releasesSlidingWindowBlocks: !noKvWindowRelease)
    }
}
