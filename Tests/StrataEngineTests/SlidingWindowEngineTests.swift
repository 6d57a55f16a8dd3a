import StrataEngine
import StrataModels
import StrataScheduling
import XCTest

/// Gemma 3's sliding-window layers on the default model: blocks behind the 512-position window go
/// back to the pool during the run, with output identical to keeping every block.
final class SlidingWindowEngineTests: XCTestCase {
    private static let loaded = Result { try EngineHarness.load() }
    private var loaded: EngineHarness.Loaded!

    override func setUpWithError() throws {
        loaded = try Self.loaded.get()
    }

    /// `count` tokens of varied English text, starting with BOS.
    private func longPrompt(_ count: Int, topic: String = "marbles") -> [Int32] {
        let colors = ["red", "green", "blue", "yellow", "white", "black", "orange"]
        var text = ""
        var tokens: [Int32] = []
        var item = 1
        while tokens.count < count {
            for _ in 0 ..< 20 {
                text += "Box \(item) is \(colors[item % colors.count]) and holds \(item * 7 % 50) \(topic). "
                item += 1
            }
            tokens = loaded.tokenizer.encode(text, addBOS: true, parseSpecial: false)
        }
        return Array(tokens.prefix(count))
    }

    private func greedy(_ prompt: [Int32], maxTokens: Int) -> GenerationRequest {
        GenerationRequest(prompt: prompt, maxTokens: maxTokens, sampling: .greedy, ignoreEndOfGeneration: true, topLogprobs: 2)
    }

    func testALongSequenceReleasesSlidingBlocksWithUnchangedOutput() async throws {
        let prompt = longPrompt(700)
        // 128-token prefill chunks, so later chunks run after blocks were released.
        let releasing = EngineConfiguration(maxBatchTokens: 128, maxRunning: 4, contextLength: 1024)
        var keeping = releasing
        keeping.releasesSlidingWindowBlocks = false
        let (kept, keptEngine) = try await EngineHarness.withEngine(loaded, keeping) { engine in
            (await EngineHarness.collect(try engine.submit(greedy(prompt, maxTokens: 32))), engine)
        }
        let (released, releasedEngine) = try await EngineHarness.withEngine(loaded, releasing) { engine in
            (await EngineHarness.collect(try engine.submit(greedy(prompt, maxTokens: 32))), engine)
        }
        XCTAssertEqual(released.tokens.count, 32)
        XCTAssertEqual(released.tokens, kept.tokens, "greedy tokens differ when sliding blocks are released")
        XCTAssertEqual(released.logprobs, kept.logprobs)
        XCTAssertEqual(keptEngine.statistics.windowReleasedBlocks, 0)
        // 5 sliding groups; after the last step (731 positions computed) position 731 attends to
        // 220 ... 731, so blocks 0-12 (positions 0-207) of every sliding group were given back.
        XCTAssertEqual(releasedEngine.statistics.windowReleasedBlocks, 5 * 13)
        XCTAssertEqual(releasedEngine.statistics.usedBlocks, 0)
    }

    func testBlocksReleasedByOneSequenceAreReusedByOthersWithUnchangedOutput() async throws {
        // Three long sequences at once: blocks one gives back are taken at once by the others'
        // prefill chunks (the free list is last in, first out), so reading a released block shows.
        let requests = [(600, "apples"), (650, "stones"), (700, "coins")].map { count, topic in
            greedy(longPrompt(count, topic: topic), maxTokens: 24)
        }
        let releasing = EngineConfiguration(maxBatchTokens: 128, maxRunning: 4, contextLength: 1024)
        var keeping = releasing
        keeping.releasesSlidingWindowBlocks = false
        let kept = try await EngineHarness.withEngine(loaded, keeping) { engine in
            try await EngineHarness.runConcurrently(engine, requests)
        }
        let (released, engine) = try await EngineHarness.withEngine(loaded, releasing) { engine in
            (try await EngineHarness.runConcurrently(engine, requests), engine)
        }
        XCTAssertGreaterThan(engine.statistics.windowReleasedBlocks, 0)
        for (index, (a, b)) in zip(kept, released).enumerated() {
            XCTAssertEqual(a.tokens.count, 24)
            XCTAssertEqual(a.tokens, b.tokens, "request \(index)")
            XCTAssertEqual(a.logprobs, b.logprobs, "request \(index)")
        }
    }

    func testAPrefixHitPastTheWindowGivesTheSameOutput() async throws {
        let shared = longPrompt(690)
        let first = shared + loaded.tokenizer.encode(" Which box is blue?", addBOS: false, parseSpecial: false)
        let second = shared + loaded.tokenizer.encode(" How many boxes are red?", addBOS: false, parseSpecial: false)
        let config = EngineConfiguration(maxBatchTokens: 256, maxRunning: 4, contextLength: 1024)
        let cold = try await EngineHarness.withEngine(loaded, config) { engine in
            await EngineHarness.collect(try engine.submit(greedy(second, maxTokens: 8)))
        }
        let warm = try await EngineHarness.withEngine(loaded, config) { engine in
            _ = await EngineHarness.collect(try engine.submit(greedy(first, maxTokens: 8)))
            return await EngineHarness.collect(try engine.submit(greedy(second, maxTokens: 8)))
        }
        // The hit keeps whole blocks that every group still has: the full group all of them, the
        // sliding groups the last 512 positions before the hit (released earlier ones stay cached).
        XCTAssertEqual(warm.summary?.cachedPromptTokens, 690 / 16 * 16)
        XCTAssertEqual(warm.tokens, cold.tokens)
        XCTAssertEqual(warm.logprobs, cold.logprobs)
    }

    /// How many 2,048-token sequences (1,024 prompt + 1,024 generated) run at once in the default
    /// KV budget without preemption, with and without releasing sliding-window blocks, simulated
    /// with the scheduler over the engine's own pool.
    func testMoreLongSequencesFitTheDefaultBudget() throws {
        func capacity(releasing: Bool) throws -> (sequences: Int, blocks: Int) {
            var configuration = EngineConfiguration()
            configuration.releasesSlidingWindowBlocks = releasing
            let engine = try InferenceEngine(model: loaded.model, tokenizer: loaded.tokenizer, configuration: configuration)
            let layout = loaded.model.kvCacheLayout(releasingSlidingWindows: releasing)
            /// Whether `count` sequences all run at once and finish with no preemption.
            func runTogether(_ count: Int) throws -> Bool {
                var unlimited = configuration
                unlimited.maxRunning = count
                var scheduler = Scheduler(config: try unlimited.schedulerConfig(
                    contextLength: engine.contextLength, blockCount: engine.blockCount, groupWindows: layout.groupWindows))
                for id in 0 ..< count {
                    try scheduler.add(id: id, prompt: (0 ..< 1024).map { Int32(id * 4096 + $0) }, maxTokens: 1024)
                }
                var peak = 0
                while !scheduler.isIdle {
                    let batch = scheduler.schedule()
                    if !batch.preempted.isEmpty { return false }
                    peak = max(peak, scheduler.running.count)
                    _ = scheduler.postprocess(batch, sampledTokens: batch.samplingSequenceIDs.map { _ in 1 })
                }
                return peak == count
            }
            var low = 1, high = 256   // runTogether(low), !runTogether(high)
            XCTAssertTrue(try runTogether(low))
            XCTAssertFalse(try runTogether(high))
            while low + 1 < high {
                let middle = (low + high) / 2
                if try runTogether(middle) { low = middle } else { high = middle }
            }
            return (low, engine.blockCount)
        }
        let before = try capacity(releasing: false)
        let after = try capacity(releasing: true)
        print("2,048-token sequences in the default KV budget: \(before.sequences) with one table for every layer "
              + "(\(before.blocks) blocks of 18 layers), \(after.sequences) releasing sliding-window blocks "
              + "(\(after.blocks) blocks of 3 layers)")
        XCTAssertEqual(before.blocks, 1024 * 1_048_576 / (2 * 16 * 18 * 256 * 2))
        XCTAssertEqual(before.sequences, before.blocks / 128)
        XCTAssertGreaterThan(after.sequences, 2 * before.sequences)
    }
}
