import StrataEngine
import StrataModels
import StrataTokenizer
import XCTest

/// The continuous-batching engine on the default model: batched output equals output alone,
/// through chunked prefill, prefix-cache reuse and preemption; stops, cancellation, shutdown.
final class InferenceEngineTests: XCTestCase {
    private static let loaded = Result { try EngineHarness.load() }
    private var loaded: EngineHarness.Loaded!

    override func setUpWithError() throws {
        loaded = try Self.loaded.get()
    }

    private func greedy(_ prompt: [Int32], maxTokens: Int = 16, logprobs: Int? = 3) -> GenerationRequest {
        GenerationRequest(prompt: prompt, maxTokens: maxTokens, sampling: .greedy, ignoreEndOfGeneration: true, topLogprobs: logprobs)
    }

    private func prompts() throws -> [[Int32]] {
        try GreedyFixture.load().cases.map(\.promptIds)
    }

    func testConcurrentRequestsProduceExactlyWhatEachProducesAlone() async throws {
        let requests = try prompts().map { greedy($0) }
        let config = EngineConfiguration(maxBatchTokens: 64, maxRunning: 16, contextLength: 256)
        let alone = try await EngineHarness.withEngine(loaded, config) { engine in
            var results: [EngineHarness.Collected] = []
            for request in requests { results.append(await EngineHarness.collect(try engine.submit(request))) }
            return results
        }
        let together = try await EngineHarness.withEngine(loaded, config) { engine in
            try await EngineHarness.runConcurrently(engine, requests)
        }
        for (index, (a, b)) in zip(alone, together).enumerated() {
            XCTAssertEqual(a.tokens.count, 16, "request \(index)")
            XCTAssertEqual(a.tokens, b.tokens, "request \(index): tokens differ when batched")
            XCTAssertEqual(a.logprobs, b.logprobs, "request \(index): logprobs differ when batched")
            XCTAssertEqual(a.text, b.text)
            XCTAssertEqual(b.summary?.finishReason, .length)
            XCTAssertEqual(b.summary?.completionTokens, 16)
            XCTAssertEqual(b.summary?.promptTokens, requests[index].prompt.count)
        }
    }

    func testEngineMatchesTheSingleSequenceGenerator() async throws {
        let prompt = try prompts()[0]
        let generator = Generator(model: loaded.model, contextLength: 64, threads: 2)
        let reference = try generator.generate(prompt: prompt, maxTokens: 16, sampling: .greedy, topLogprobs: 3)
        let result = try await EngineHarness.withEngine(loaded, EngineConfiguration(maxBatchTokens: 4, contextLength: 64)) { engine in
            await EngineHarness.collect(try engine.submit(greedy(prompt)))
        }
        XCTAssertEqual(result.tokens, reference.tokens, "chunked prefill of 4 tokens per step")
        XCTAssertEqual(result.logprobs, reference.steps)
    }

    func testPreemptedRequestsRecomputeToTheSameOutput() async throws {
        let requests = try prompts().map { greedy($0, maxTokens: 24, logprobs: nil) }
        let roomy = EngineConfiguration(maxBatchTokens: 128, maxRunning: 16, contextLength: 64)
        let alone = try await EngineHarness.withEngine(loaded, roomy) { engine in
            try await EngineHarness.runConcurrently(engine, requests)
        }
        // Gemma 3 270M's layers share blocks in 6 KV groups of 3 layers (1 global, 5 sliding):
        // 16-token blocks of 3 layers × 256 fp16 keys and values are 48 KiB; 2 MiB holds 42, as
        // much as 7 blocks of all 18 layers.
        var tight = roomy
        tight.kvCacheMegabytes = 2
        let (crowded, engine) = try await EngineHarness.withEngine(loaded, tight) { engine in
            (try await EngineHarness.runConcurrently(engine, requests), engine)
        }
        let statistics = engine.statistics // final: published as the loop ended
        XCTAssertEqual(statistics.totalBlocks, 42)
        XCTAssertGreaterThan(statistics.preemptions, 0, "a 42-block pool must preempt 12 requests")
        XCTAssertGreaterThan(crowded.compactMap(\.summary?.preemptions).reduce(0, +), 0)
        XCTAssertEqual(crowded.map(\.tokens), alone.map(\.tokens))
        XCTAssertEqual(statistics.usedBlocks, 0, "every block is released at the end")
    }

    func testSharedPrefixIsReusedFromTheCacheWithTheSameOutput() async throws {
        let system = loaded.tokenizer.encode(
            String(repeating: "You are a helpful assistant who answers briefly and precisely. ", count: 6),
            addBOS: true, parseSpecial: false)
        let first = system + loaded.tokenizer.encode("What is the capital of France?", addBOS: false, parseSpecial: false)
        let second = system + loaded.tokenizer.encode("Name a large river in Europe.", addBOS: false, parseSpecial: false)
        let config = EngineConfiguration(maxBatchTokens: 512, contextLength: 256)
        let cold = try await EngineHarness.withEngine(loaded, config) { engine in
            await EngineHarness.collect(try engine.submit(greedy(second, maxTokens: 8)))
        }
        let (warm, engine) = try await EngineHarness.withEngine(loaded, config) { engine in
            _ = await EngineHarness.collect(try engine.submit(greedy(first, maxTokens: 8)))
            return (await EngineHarness.collect(try engine.submit(greedy(second, maxTokens: 8))), engine)
        }
        let statistics = engine.statistics
        let cached = try XCTUnwrap(warm.summary?.cachedPromptTokens)
        XCTAssertEqual(cached, system.count / 16 * 16, "every full block of the shared prefix is reused")
        XCTAssertGreaterThan(statistics.prefixCacheHitRate, 0)
        XCTAssertEqual(warm.tokens, cold.tokens)
        XCTAssertEqual(warm.logprobs, cold.logprobs)
    }

    func testStopStringEndsTheTextBeforeItAndStopTokenEndsTheRequest() async throws {
        let prompt = loaded.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        let config = EngineConfiguration(contextLength: 64)
        let (byString, byToken, plain) = try await EngineHarness.withEngine(loaded, config) { engine in
            let byString = await EngineHarness.collect(try engine.submit(GenerationRequest(
                prompt: prompt, maxTokens: 8, sampling: .greedy, stopSequences: ["zzz", "ry of"])))
            // Greedy continues " the capital of the country of France." (ids 506 5279 529 506 2891 ...).
            let byToken = await EngineHarness.collect(try engine.submit(GenerationRequest(
                prompt: prompt, maxTokens: 8, sampling: .greedy, stopTokenIDs: [2891])))
            let plain = await EngineHarness.collect(try engine.submit(GenerationRequest(
                prompt: prompt, maxTokens: 8, sampling: .greedy)))
            return (byString, byToken, plain)
        }
        XCTAssertEqual(plain.text, " the capital of the country of France.")
        XCTAssertEqual(plain.summary?.finishReason, .length)
        XCTAssertEqual(byString.text, " the capital of the count")
        XCTAssertEqual(byString.summary?.finishReason, .stop)
        XCTAssertEqual(byString.summary?.stopCause, .stopSequence("ry of"))
        XCTAssertEqual(byToken.tokens, [506, 5279, 529, 506, 2891])
        XCTAssertEqual(byToken.text, " the capital of the")
        XCTAssertEqual(byToken.summary?.stopCause, .stopToken(2891))
        XCTAssertEqual(byToken.summary?.completionTokens, 5)
    }

    func testMinTokensHoldsBackTheEndOfGenerationToken() async throws {
        let prompt = loaded.tokenizer.encode("Hello", addBOS: true, parseSpecial: false)
        let eos = try XCTUnwrap(loaded.tokenizer.specialTokens.eos)
        // A huge bias makes EOS the argmax at every step; min_tokens keeps it out for 3 steps.
        let sampling = SamplingParameters(temperature: 0, logitBias: [eos: 100])
        let result = try await EngineHarness.withEngine(loaded, EngineConfiguration(contextLength: 64)) { engine in
            await EngineHarness.collect(try engine.submit(GenerationRequest(
                prompt: prompt, maxTokens: 10, minTokens: 3, sampling: sampling, topLogprobs: 0)))
        }
        XCTAssertEqual(result.tokens.count, 4)
        XCTAssertFalse(result.tokens.prefix(3).contains(eos))
        XCTAssertEqual(result.tokens.last, eos)
        XCTAssertEqual(result.summary?.stopCause, .endOfGeneration(eos))
        XCTAssertTrue(result.logprobs.allSatisfy { $0.logprob <= 0 && $0.top.isEmpty }, "raw-model logprobs, no alternatives")
    }

    func testCancellingTheConsumerCancelsTheRequestAndReleasesItsBlocks() async throws {
        let prompt = try prompts()[1]
        let statistics = try await EngineHarness.withEngine(loaded, EngineConfiguration(contextLength: 512)) { engine in
            let stream = try engine.submit(greedy(prompt, maxTokens: 400, logprobs: nil))
            let consumer = Task {
                var received = 0
                for await event in stream {
                    if case .output = event { received += 1 }
                    if received == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                }
                return received
            }
            let received = await consumer.value
            XCTAssertGreaterThanOrEqual(received, 3)
            // The loop sees the cancellation before its next step; wait for it to go idle.
            while engine.statistics.runningRequests > 0 { try await Task.sleep(for: .milliseconds(5)) }
            return engine.statistics
        }
        XCTAssertLessThan(statistics.steps, 100, "the request ran on after its consumer was cancelled")
        XCTAssertEqual(statistics.usedBlocks, 0)
        XCTAssertEqual(statistics.waitingRequests, 0)
    }

    func testRequestsThatCanNeverRunAreRefusedUpFront() throws {
        let engine = try InferenceEngine(
            model: loaded.model, tokenizer: loaded.tokenizer,
            configuration: EngineConfiguration(kvCacheMegabytes: 1, maxRunning: 1, maxWaiting: 1, contextLength: 64))
        func refusal(_ request: GenerationRequest) -> EngineError? {
            do {
                _ = try engine.submit(request)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(refusal(greedy([])), .emptyPrompt)
        XCTAssertEqual(refusal(greedy([2, 999_999])), .invalidToken(999_999, vocabularySize: loaded.model.shape.vocabularySize))
        XCTAssertEqual(refusal(greedy([2, 3], maxTokens: 63)), .contextOverflow(promptTokens: 2, maxTokens: 63, contextLength: 64))
        XCTAssertEqual(refusal(greedy([2, 3], maxTokens: 60)), .exceedsCachePool(requiredTokens: 61, poolTokens: 48))
        XCTAssertEqual(refusal(GenerationRequest(prompt: [2], maxTokens: 4, minTokens: 5)),
                       .invalidParameter(name: "min_tokens", reason: "must be between 0 and max_tokens (4)"))
        // Not started: accepted requests wait in the inbox; the third exceeds running + waiting.
        let first = try engine.submit(greedy([2, 3], maxTokens: 4))
        let second = try engine.submit(greedy([2, 3], maxTokens: 4))
        XCTAssertEqual(refusal(greedy([2, 3], maxTokens: 4)), .queueFull(limit: 2))
        _ = (first, second)
        engine.drain()
        XCTAssertEqual(refusal(greedy([2, 3], maxTokens: 4)), .shuttingDown)
    }

    func testDrainFinishesAcceptedRequestsAndAbortEndsThem() async throws {
        let prompt = try prompts()[2]
        let engine = try InferenceEngine(model: loaded.model, tokenizer: loaded.tokenizer, configuration: EngineConfiguration(contextLength: 128))
        let drained = try engine.submit(greedy(prompt, maxTokens: 12, logprobs: nil))
        engine.start()
        engine.drain()
        let result = await EngineHarness.collect(drained)
        await engine.waitForExit()
        XCTAssertEqual(result.summary?.finishReason, .length)
        XCTAssertEqual(result.tokens.count, 12)

        let aborting = try InferenceEngine(model: loaded.model, tokenizer: loaded.tokenizer, configuration: EngineConfiguration(contextLength: 512))
        let aborted = try aborting.submit(greedy(prompt, maxTokens: 400, logprobs: nil))
        let task = Task { try await aborting.run() }
        var seen = 0
        var summary: GenerationSummary?
        for await event in aborted {
            switch event {
            case .output:
                seen += 1
                if seen == 2 { task.cancel() }
            case let .finished(last):
                summary = last
            }
        }
        try await task.value
        XCTAssertEqual(summary?.finishReason, .abort)
        XCTAssertLessThan(summary?.completionTokens ?? 400, 400)
    }
}
