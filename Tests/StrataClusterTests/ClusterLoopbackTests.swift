import Foundation
import StrataCluster
import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import XCTest

/// Real `strata worker` processes on loopback ports and an engine over `PipelineExecutor` in
/// this process, against the in-process engine.
final class ClusterLoopbackTests: XCTestCase {
    private static let configuration = EngineConfiguration(contextLength: 256, threads: 1)

    private func requests() throws -> [GenerationRequest] {
        try ClusterHarness.fixturePrompts().map { prompt, completion in
            GenerationRequest(prompt: prompt, maxTokens: completion, sampling: .greedy, ignoreEndOfGeneration: true, topLogprobs: 5)
        }
    }

    private func inProcess(_ loaded: ClusterHarness.Loaded, _ requests: [GenerationRequest]) async throws -> [ClusterHarness.Collected] {
        let model = try ArchitectureRegistry.load(try GGUFFile(path: loaded.path))
        let engine = try InferenceEngine(model: model, tokenizer: loaded.tokenizer, configuration: Self.configuration)
        engine.start()
        let results = try await ClusterHarness.runConcurrently(engine, requests)
        engine.drain()
        await engine.waitForExit()
        return results
    }

    private func pipelined(_ loaded: ClusterHarness.Loaded, ranges: [String], _ requests: [GenerationRequest]) async throws -> [ClusterHarness.Collected] {
        try await ClusterHarness.withWorkers(ranges, model: loaded.path) { workers in
            let (engine, _) = try await ClusterHarness.pipelineEngine(loaded, workers: workers, configuration: Self.configuration)
            let results = try await ClusterHarness.runConcurrently(engine, requests)
            engine.drain()
            await engine.waitForExit()
            return results
        }
    }

    func testTwoAndThreeStagesGiveTheInProcessIdsAndLogprobsBitForBit() async throws {
        let loaded = try ClusterHarness.load()
        let requests = try requests()
        let expected = try await inProcess(loaded, requests)
        XCTAssertTrue(expected.allSatisfy { $0.finishReason == .length && $0.logprobs.count == $0.tokens.count })
        for ranges in [["0:9", "9:18"], ["0:5", "5:11", "11:18"]] {
            let actual = try await pipelined(loaded, ranges: ranges, requests)
            XCTAssertEqual(actual.count, expected.count)
            for (index, (got, want)) in zip(actual, expected).enumerated() {
                XCTAssertEqual(got.tokens, want.tokens, "\(ranges) prompt \(index): ids")
                XCTAssertEqual(got.logprobs, want.logprobs, "\(ranges) prompt \(index): logprobs")
                XCTAssertEqual(got.finishReason, .length)
            }
        }
    }

    func testWrongTokenAndWrongModelDigestAreRefused() async throws {
        let loaded = try ClusterHarness.load()
        try await ClusterHarness.withWorkers(["0:18"], model: loaded.path) { workers in
            let address = WorkerAddress(host: "127.0.0.1", port: workers[0].port)
            let wrongToken = Pipeline(addresses: [address], token: try ClusterToken("not-the-token"), modelDigest: loaded.digest)
            do {
                _ = try await wrongToken.handshake()
                XCTFail("a wrong cluster token was accepted")
            } catch let ClusterError.refused(_, status, _) {
                XCTAssertEqual(status, 401)
            }
            var otherDigest = loaded.digest
            otherDigest[0] ^= 0xFF
            let wrongModel = Pipeline(addresses: [address], token: try ClusterToken(ClusterHarness.token), modelDigest: otherDigest)
            do {
                _ = try await wrongModel.handshake()
                XCTFail("a coordinator of another model was accepted")
            } catch let ClusterError.refused(_, status, message) {
                XCTAssertEqual(status, 409)
                XCTAssertTrue(message.contains("model digest mismatch"), message)
            }
            let right = Pipeline(addresses: [address], token: try ClusterToken(ClusterHarness.token), modelDigest: loaded.digest)
            let layout = try await right.handshake()
            XCTAssertEqual(layout.layerCount, 18)
            XCTAssertTrue(right.isReady)
        }
    }

    func testAKilledWorkerFailsTheRequestAndARestartedOneServesAgain() async throws {
        let loaded = try ClusterHarness.load()
        let prompt = loaded.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        let long = GenerationRequest(prompt: prompt, maxTokens: 200, sampling: .greedy, ignoreEndOfGeneration: true)
        let short = GenerationRequest(prompt: prompt, maxTokens: 8, sampling: .greedy)
        var workers = [try WorkerProcess.start(layers: "0:9", token: ClusterHarness.token, model: loaded.path),
                       try WorkerProcess.start(layers: "9:18", token: ClusterHarness.token, model: loaded.path)]
        defer { for worker in workers { worker.stop() } }
        let (engine, pipeline) = try await ClusterHarness.pipelineEngine(loaded, workers: workers, configuration: Self.configuration)
        XCTAssertTrue(pipeline.isReady)

        var tokensBeforeKill = 0
        var finish: GenerationSummary.FinishReason?
        for await event in try engine.submit(long) {
            switch event {
            case let .output(output):
                tokensBeforeKill += output.tokens.count
                if workers[1].process.isRunning { workers[1].kill9() }
            case let .finished(summary):
                finish = summary.finishReason
            }
        }
        XCTAssertEqual(finish, .failed)
        XCTAssertLessThan(tokensBeforeKill, 200)
        let readyWhileDown = await pipeline.probe()
        XCTAssertFalse(readyWhileDown, "the pipeline reports not ready while a stage is down")

        workers[1] = try WorkerProcess.start(layers: "9:18", token: ClusterHarness.token, port: workers[1].port, model: loaded.path)
        var attempts = 0
        while !(await pipeline.probe()) {
            attempts += 1
            guard attempts < 600 else { return XCTFail("the pipeline did not reconnect to the restarted worker") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let after = await ClusterHarness.collect(try engine.submit(short))
        engine.drain()
        await engine.waitForExit()
        XCTAssertEqual(after.finishReason, .length)
        XCTAssertEqual(loaded.tokenizer.decode(after.tokens), " the capital of the country of France.")
        XCTAssertEqual(engine.statistics.usedBlocks, 0)
    }

    func testAStoppedWorkerMissesTheDeadlineAndServesAgainWhenContinued() async throws {
        let loaded = try ClusterHarness.load()
        let prompt = loaded.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        let long = GenerationRequest(prompt: prompt, maxTokens: 200, sampling: .greedy, ignoreEndOfGeneration: true)
        let short = GenerationRequest(prompt: prompt, maxTokens: 8, sampling: .greedy)
        try await ClusterHarness.withWorkers(["0:9", "9:18"], model: loaded.path) { workers in
            let (engine, pipeline) = try await ClusterHarness.pipelineEngine(
                loaded, workers: workers, configuration: Self.configuration, stepTimeout: .seconds(2))
            let stopped = workers[0].process.processIdentifier
            var stoppedIt = false
            var finish: GenerationSummary.FinishReason?
            for await event in try engine.submit(long) {
                switch event {
                case .output:
                    if !stoppedIt {
                        kill(stopped, SIGSTOP)
                        stoppedIt = true
                    }
                case let .finished(summary):
                    finish = summary.finishReason
                }
            }
            kill(stopped, SIGCONT)
            XCTAssertEqual(finish, .failed, "a stage past its step deadline fails the step")
            var attempts = 0
            while !(await pipeline.probe()) {
                attempts += 1
                guard attempts < 600 else { return XCTFail("the pipeline did not reconnect to the continued worker") }
                try await Task.sleep(for: .milliseconds(100))
            }
            let after = await ClusterHarness.collect(try engine.submit(short))
            engine.drain()
            await engine.waitForExit()
            XCTAssertEqual(after.finishReason, .length)
            XCTAssertEqual(loaded.tokenizer.decode(after.tokens), " the capital of the country of France.")
        }
    }
}
