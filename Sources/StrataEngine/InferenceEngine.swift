import Foundation
import ServiceLifecycle
import StrataModels
import StrataScheduling
import StrataTokenizer
import Synchronization

/// Continuous batching over a paged KV cache: many requests share one model, each engine step
/// serving every running sequence (decode tokens and prefill chunks in one batch).
///
/// `submit` validates a request and returns its event stream at once; the work happens on the
/// engine's own thread (forward passes are long, blocking CPU work and stay off Swift's
/// cooperative pool). Cancelling the task that iterates the stream cancels the request. The engine is a
/// `Service`: `run()` starts the loop and, on graceful shutdown, stops taking requests, finishes
/// the accepted ones and returns; task cancellation aborts the requests in flight instead.
public final class InferenceEngine: Service, Sendable {
    // The executor and the loop are used only by the engine thread (see `LoopBox`).
    /// The tokenizer requests were tokenized with.
    public let tokenizer: any Tokenizer
    /// Most positions (prompt plus generated tokens) a request may have.
    public let contextLength: Int
    /// Number of KV blocks in the pool.
    public let blockCount: Int
    /// Micro-batches: schedulers sharing the pool, each over its own block range, whose steps
    /// are in flight at once (1 unless the executor pipelines steps).
    public let microBatchCount: Int
    /// Most KV positions one sequence can hold in the pool (in its micro-batch's share; with
    /// sliding-window groups, more than `blockCount * blockSize / groups`, since their blocks
    /// are given back as it grows).
    public let poolTokens: Int
    /// The configuration it was built with.
    public let configuration: EngineConfiguration

    private let vocabularySize: Int
    private let blockSize: Int
    private let maxChunk: Int
    private let groupWindows: [Int?]
    /// Blocks of the smallest micro-batch share: the most one request may need.
    private let shareBlockCount: Int
    private let loop: LoopBox
    private let shared = Mutex(SharedState())
    private let wake = DispatchSemaphore(value: 0)

    private struct SharedState: ~Copyable {
        var nextID = 0
        var inbox: [(SequenceID, GenerationRequest, AsyncStream<GenerationEvent>.Continuation)] = []
        var cancellations: [SequenceID] = []
        var outstanding = 0               // accepted and not finished
        var accepting = true
        var abortRequested = false
        var started = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var statistics = EngineStatistics()
    }

    /// The loop is touched only by the engine thread.
    private final class LoopBox: @unchecked Sendable {
        let loop: EngineLoop
        init(_ loop: EngineLoop) { self.loop = loop }
    }

    /// An engine for `model` (all layers, in this process) whose requests are tokenized by `tokenizer`.
    public convenience init(model: any LanguageModel, tokenizer: any Tokenizer, configuration: EngineConfiguration = .init()) throws(EngineError) {
        guard model.layers.first == 0, model.layers.last == model.shape.layerCount else {
            throw .invalidConfiguration("the engine needs a model holding all \(model.shape.layerCount) layers")
        }
        let layout = model.kvCacheLayout(releasingSlidingWindows: configuration.releasesSlidingWindowBlocks)
        let (context, blocks) = try configuration.resolved(for: model.shape, layout: layout)
        let schedulerConfig = try configuration.schedulerConfig(
            contextLength: context, blockCount: blocks, groupWindows: layout.groupWindows)
        let executor = LocalExecutor(model: model, config: schedulerConfig, threads: configuration.threads, layout: layout)
        self.init(executor: executor, tokenizer: tokenizer, configuration: configuration,
                  schedulerConfig: schedulerConfig, vocabularySize: model.shape.vocabularySize)
    }

    /// An engine whose steps run on `executor` (in process, or a pipeline of stages holding
    /// KV pools of `schedulerConfig.blockCount` blocks), for a model of `vocabularySize` tokens.
    /// The pool and `maxRunning` are split among `executor.maxStepsInFlight` micro-batches.
    public init(
        executor: any StepExecutor, tokenizer: any Tokenizer, configuration: EngineConfiguration,
        schedulerConfig: SchedulerConfig, vocabularySize: Int
    ) {
        self.tokenizer = tokenizer
        self.configuration = configuration
        contextLength = schedulerConfig.contextLength
        blockCount = schedulerConfig.blockCount
        blockSize = schedulerConfig.blockSize
        maxChunk = schedulerConfig.maxBatchTokens
        groupWindows = schedulerConfig.groupWindows
        let shares = MicroBatchShare.split(schedulerConfig, into: executor.maxStepsInFlight)
        microBatchCount = shares.count
        let smallest = shares.min { $0.config.blockCount < $1.config.blockCount }?.config ?? schedulerConfig
        shareBlockCount = smallest.blockCount
        poolTokens = Self.poolTokens(smallest)
        self.vocabularySize = vocabularySize
        loop = LoopBox(EngineLoop(executor: executor, tokenizer: tokenizer, shares: shares))
        shared.withLock { $0.statistics.totalBlocks = schedulerConfig.blockCount }
    }

    // MARK: Requests

    /// Validates and queues `request`; its events arrive on the returned stream.
    public func submit(_ request: GenerationRequest) throws(EngineError) -> AsyncStream<GenerationEvent> {
        try validate(request)
        let (stream, continuation) = AsyncStream.makeStream(of: GenerationEvent.self, bufferingPolicy: .unbounded)
        let id = try shared.withLock { state throws(EngineError) -> SequenceID in
            guard state.accepting else { throw .shuttingDown }
            let limit = configuration.maxRunning + configuration.maxWaiting
            guard state.outstanding < limit else { throw .queueFull(limit: limit) }
            let id = state.nextID
            state.nextID += 1
            state.outstanding += 1
            state.inbox.append((id, request, continuation))
            return id
        }
        continuation.onTermination = { [weak self] termination in
            guard let self else { return }
            shared.withLock { state in
                state.outstanding -= 1
                if case .cancelled = termination { state.cancellations.append(id) }
            }
            wake.signal()
        }
        wake.signal()
        return stream
    }

    /// Load and cache figures as of the last step.
    public var statistics: EngineStatistics {
        shared.withLock { $0.statistics }
    }

    /// Whether the engine takes new requests (false once shutdown began).
    public var isAccepting: Bool { shared.withLock { $0.accepting && $0.started && !$0.exited } }

    private func validate(_ request: GenerationRequest) throws(EngineError) {
        guard !request.prompt.isEmpty else { throw .emptyPrompt }
        if let bad = request.prompt.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw .invalidToken(bad, vocabularySize: vocabularySize)
        }
        guard request.maxTokens >= 1 else { throw .invalidParameter(name: "max_tokens", reason: "must be at least 1") }
        guard request.minTokens >= 0, request.minTokens <= request.maxTokens else {
            throw .invalidParameter(name: "min_tokens", reason: "must be between 0 and max_tokens (\(request.maxTokens))")
        }
        if let k = request.topLogprobs, k < 0 || k > 20 {
            throw .invalidParameter(name: "top_logprobs", reason: "must be between 0 and 20")
        }
        let total = request.prompt.count + request.maxTokens
        guard total <= contextLength else {
            throw .contextOverflow(promptTokens: request.prompt.count, maxTokens: request.maxTokens, contextLength: contextLength)
        }
        // The last sampled token's KV is never computed.
        let blocksNeeded = BlockManager.blocksRequired(
            tokens: total - 1, maxChunk: maxChunk, blockSize: blockSize, groupWindows: groupWindows)
        guard blocksNeeded <= shareBlockCount else {
            throw .exceedsCachePool(requiredTokens: total - 1, poolTokens: poolTokens)
        }
    }

    /// The most KV positions one sequence can hold in `config`'s pool (binary search: the blocks
    /// a sequence needs grow with its length).
    private static func poolTokens(_ config: SchedulerConfig) -> Int {
        func fits(_ tokens: Int) -> Bool {
            BlockManager.blocksRequired(tokens: tokens, maxChunk: config.maxBatchTokens, blockSize: config.blockSize,
                                        groupWindows: config.groupWindows) <= config.blockCount
        }
        var low = 0, high = max(config.contextLength, config.blockCount * config.blockSize)
        if fits(high) { return high }
        while low + 1 < high {   // fits(low), !fits(high)
            let middle = (low + high) / 2
            if fits(middle) { low = middle } else { high = middle }
        }
        return low
    }

    // MARK: Lifecycle

    /// Runs the engine until graceful shutdown (drain) or cancellation (abort).
    public func run() async throws {
        start()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await waitForExit()
            } onCancel: {
                abort()
            }
        } onGracefulShutdown: {
            self.drain()
        }
    }

    /// Starts the loop thread if it is not running; `run()` calls it.
    public func start() {
        let first = shared.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in runLoop() }
        thread.name = "strata-engine"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Stops taking requests; the loop ends once the accepted ones have finished.
    public func drain() {
        shared.withLock { $0.accepting = false }
        wake.signal()
    }

    /// Stops taking requests and ends every accepted one now with `.abort`.
    public func abort() {
        shared.withLock {
            $0.accepting = false
            $0.abortRequested = true
        }
        wake.signal()
    }

    /// Suspends until the loop thread has ended.
    public func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = shared.withLock { state in
                if !state.exited { state.exitWaiters.append(continuation) }
                return state.exited
            }
            if exited { continuation.resume() }
        }
    }

    private func runLoop() {
        let loop = loop.loop
        while true {
            let (inbox, cancellations, accepting, aborting) = shared.withLock { state in
                defer {
                    state.inbox = []
                    state.cancellations = []
                }
                return (state.inbox, state.cancellations, state.accepting, state.abortRequested)
            }
            for (id, request, continuation) in inbox { loop.admit(id: id, request, continuation: continuation) }
            for id in cancellations { loop.cancel(id) }
            if aborting { loop.cancelAll(reason: .abort) }
            if loop.isIdle {
                if !accepting { break }
                publishStatistics(of: loop)
                wake.wait()
                continue
            }
            loop.step()
            publishStatistics(of: loop)
        }
        publishStatistics(of: loop)
        let waiters = shared.withLock { state in
            state.exited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func publishStatistics(of loop: EngineLoop) {
        shared.withLock { state in
            state.statistics = loop.snapshot(pending: state.inbox.count)
        }
    }
}
