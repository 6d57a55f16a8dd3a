import StrataEngine
import StrataScheduling
import XCTest

/// Micro-batches: an executor that runs several steps at once gets one scheduler per micro-batch,
/// each over its own range of block ids; outputs are what each request produces alone.
final class MicroBatchEngineTests: XCTestCase {
    /// The real local executor, whose steps run only when the engine waits for them: the engine
    /// keeps up to `maxStepsInFlight` started at once. Records how many were in flight together
    /// and whether two of them ever shared a KV block.
    private final class DeferredExecutor: StepExecutor {
        let wrapped: LocalExecutor
        let maxStepsInFlight: Int
        private(set) var mostInFlight = 0
        private(set) var sharedBlocks = 0
        private(set) var offsets: Set<Int32> = []
        private var inFlight: [Int: Set<Int32>] = [:]
        private var nextTicket = 0

        init(_ wrapped: LocalExecutor, depth: Int) {
            self.wrapped = wrapped
            maxStepsInFlight = depth
        }

        func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration) { wrapped.addSequence(id, sampling: sampling) }
        func removeSequence(_ id: SequenceID) { wrapped.removeSequence(id) }

        func start(_ batch: ScheduledBatch, blockOffset: Int32) -> any StepInFlight {
            let blocks = Set(batch.rows(blockOffset: blockOffset).blockTables.joined().filter { $0 != BlockManager.nullBlock })
            if inFlight.values.contains(where: { !$0.isDisjoint(with: blocks) }) { sharedBlocks += 1 }
            let ticket = nextTicket
            nextTicket += 1
            inFlight[ticket] = blocks
            offsets.insert(blockOffset)
            mostInFlight = max(mostInFlight, inFlight.count)
            return Deferred(executor: self, ticket: ticket, batch: batch, blockOffset: blockOffset)
        }

        private struct Deferred: StepInFlight {
            let executor: DeferredExecutor
            let ticket: Int
            let batch: ScheduledBatch
            let blockOffset: Int32

            func wait() throws -> [SampledToken] {
                executor.inFlight[ticket] = nil
                return try executor.wrapped.start(batch, blockOffset: blockOffset).wait()
            }
        }
    }

    private static let loaded = Result { try EngineHarness.load() }

    private func greedy(_ prompt: [Int32], maxTokens: Int) -> GenerationRequest {
        GenerationRequest(prompt: prompt, maxTokens: maxTokens, sampling: .greedy, ignoreEndOfGeneration: true, topLogprobs: 3)
    }

    private func engine(depth: Int, loaded: EngineHarness.Loaded) throws -> (InferenceEngine, DeferredExecutor) {
        let configuration = EngineConfiguration(maxBatchTokens: 64, maxRunning: 16, contextLength: 128)
        let schedulerConfig = try configuration.schedulerConfig(contextLength: 128, blockCount: 65)
        let executor = DeferredExecutor(LocalExecutor(model: loaded.model, config: schedulerConfig, threads: 2), depth: depth)
        let engine = InferenceEngine(
            executor: executor, tokenizer: loaded.tokenizer, configuration: configuration,
            schedulerConfig: schedulerConfig, vocabularySize: loaded.model.shape.vocabularySize)
        return (engine, executor)
    }

    func testMicroBatchesInFlightTogetherGiveWhatEachRequestGivesAlone() async throws {
        let loaded = try Self.loaded.get()
        let requests = try GreedyFixture.load().cases.map { greedy($0.promptIds, maxTokens: 16) }
        let alone = try await EngineHarness.withEngine(loaded, EngineConfiguration(contextLength: 128)) { engine in
            var results: [EngineHarness.Collected] = []
            for request in requests { results.append(await EngineHarness.collect(try engine.submit(request))) }
            return results
        }
        let (engine, executor) = try engine(depth: 3, loaded: loaded)
        XCTAssertEqual(engine.microBatchCount, 3)
        XCTAssertEqual(engine.blockCount, 65)
        engine.start()
        let together = try await EngineHarness.runConcurrently(engine, requests)
        engine.drain()
        await engine.waitForExit()

        XCTAssertEqual(executor.mostInFlight, 3, "every micro-batch had a step in flight at once")
        XCTAssertEqual(executor.sharedBlocks, 0, "steps in flight together never share a KV block")
        XCTAssertEqual(executor.offsets, [0, 22, 44], "65 blocks split 22 + 22 + 21")
        for (index, (a, b)) in zip(alone, together).enumerated() {
            XCTAssertEqual(a.tokens, b.tokens, "request \(index): tokens")
            XCTAssertEqual(a.logprobs, b.logprobs, "request \(index): logprobs")
            XCTAssertEqual(b.summary?.finishReason, .length)
        }
        XCTAssertEqual(engine.statistics.usedBlocks, 0)
        XCTAssertEqual(engine.statistics.totalBlocks, 65)
    }

    func testARequestMustFitOneMicroBatchShare() throws {
        let loaded = try Self.loaded.get()
        let (engine, _) = try engine(depth: 3, loaded: loaded)
        // 21 blocks of 16 positions hold 336: a 128-position context fits; the pool-wide
        // figure would be three times larger.
        XCTAssertLessThanOrEqual(engine.poolTokens, 21 * 16)
        XCTAssertGreaterThanOrEqual(engine.poolTokens, 128)
    }

    func testCancellingARequestWhoseStepIsInFlightFreesItsBlocksAfterTheStep() async throws {
        let loaded = try Self.loaded.get()
        let prompts = try GreedyFixture.load().cases.prefix(4).map(\.promptIds)
        let (engine, _) = try engine(depth: 2, loaded: loaded)
        engine.start()
        let long = try engine.submit(greedy(prompts[0], maxTokens: 100))
        let others = try prompts.dropFirst().map { try engine.submit(greedy($0, maxTokens: 12)) }
        let reader = Task {
            var tokens = 0
            for await event in long {
                if case let .output(output) = event { tokens += output.tokens.count }
                if tokens == 3 { withUnsafeCurrentTask { $0?.cancel() } }  // cancels the request
            }
            return tokens
        }
        var finished: [EngineHarness.Collected] = []
        for stream in others { finished.append(await EngineHarness.collect(stream)) }
        let received = await reader.value
        engine.drain()
        await engine.waitForExit()
        XCTAssertGreaterThanOrEqual(received, 3)
        XCTAssertLessThan(received, 100, "the request ran to its end after it was cancelled")
        XCTAssertEqual(finished.map { $0.tokens.count }, [12, 12, 12])
        XCTAssertEqual(engine.statistics.usedBlocks, 0, "the cancelled request's blocks came back")
        XCTAssertEqual(engine.statistics.runningRequests, 0)
    }
}
