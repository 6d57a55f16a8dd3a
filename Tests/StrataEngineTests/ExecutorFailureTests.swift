import StrataEngine
import StrataScheduling
import XCTest

/// A stage failure (an executor error) fails the requests of that batch only; the engine keeps
/// serving the next ones with its blocks all returned.
final class ExecutorFailureTests: XCTestCase {
    /// The real local executor with one injected failure at a chosen step.
    private final class FailingOnce: StepExecutor {
        struct StageDown: Error {}
        let wrapped: LocalExecutor
        var stepsBeforeFailure: Int
        init(_ wrapped: LocalExecutor, failAtStep: Int) {
            self.wrapped = wrapped
            stepsBeforeFailure = failAtStep
        }
        func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration) { wrapped.addSequence(id, sampling: sampling) }
        func removeSequence(_ id: SequenceID) { wrapped.removeSequence(id) }
        func start(_ batch: ScheduledBatch, blockOffset: Int32) -> any StepInFlight {
            stepsBeforeFailure -= 1
            if stepsBeforeFailure == 0 { return CompletedStep(.failure(StageDown())) }
            return wrapped.start(batch, blockOffset: blockOffset)
        }
    }

    func testAFailedStepFailsItsRequestsAndTheEngineGoesOn() async throws {
        let loaded = try EngineHarness.load()
        let configuration = EngineConfiguration(contextLength: 64)
        let schedulerConfig = try configuration.schedulerConfig(contextLength: 64, blockCount: 32)
        let executor = FailingOnce(LocalExecutor(model: loaded.model, config: schedulerConfig, threads: 2), failAtStep: 3)
        let engine = InferenceEngine(
            executor: executor, tokenizer: loaded.tokenizer, configuration: configuration,
            schedulerConfig: schedulerConfig, vocabularySize: loaded.model.shape.vocabularySize)
        engine.start()
        let prompt = loaded.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        let request = GenerationRequest(prompt: prompt, maxTokens: 8, sampling: .greedy)
        let failed = await EngineHarness.collect(try engine.submit(request))
        let after = await EngineHarness.collect(try engine.submit(request))
        engine.drain()
        await engine.waitForExit()

        XCTAssertEqual(failed.summary?.finishReason, .failed)
        XCTAssertEqual(failed.tokens.count, 2, "two steps ran before the failure")
        XCTAssertEqual(after.summary?.finishReason, .length)
        XCTAssertEqual(after.text, " the capital of the country of France.")
        XCTAssertEqual(engine.statistics.usedBlocks, 0)
    }
}
