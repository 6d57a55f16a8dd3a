import ArgumentParser
import Foundation
import StrataCluster
import StrataEngine

/// `strata batched-bench`: throughput of the continuous-batching engine with N sequences at
/// once, measured like llama.cpp's `llama-batched-bench`: distinct prompts of `--npp` tokens,
/// then `--ntg` decode steps each (greedy, end-of-generation ignored). The prompt phase ends
/// when every sequence has its first token.
struct BatchedBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batched-bench",
        abstract: "Measure engine throughput with several sequences in flight (as llama-batched-bench)."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup(title: "Cluster (run the steps on a pipeline of workers)") var clusterOptions: ClusterOptions

    @Option(name: .long, help: "Prompt tokens per sequence.")
    var npp = 128

    @Option(name: .long, help: "Generated tokens per sequence.")
    var ntg = 64

    @Option(name: .long, parsing: .upToNextOption, help: "Numbers of parallel sequences to measure, e.g. 1 4 16 32.")
    var npl: [Int] = [1, 4, 16, 32]

    @Flag(name: .long, help: "Print one JSON object per measurement instead of a table.")
    var json = false

    func validate() throws {
        guard npp >= 1, ntg >= 1 else { throw ValidationError("--npp and --ntg must be at least 1") }
        guard !npl.isEmpty, npl.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--npl values must be at least 1") }
    }

    func run() async throws {
        let loaded = try LoadedModel(path: modelOptions.resolve().path)
        var configuration = engineOptions.configuration(threads: computeOptions.resolvedThreads)
        configuration.maxRunning = max(configuration.maxRunning, npl.max() ?? 1)
        let engine: InferenceEngine
        var pipeline: PipelineExecutor?
        do {
            if clusterOptions.isCluster {
                let executor = try await clusterOptions.connect(modelPath: loaded.path)
                configuration.contextLength = configuration.contextLength ?? min(executor.layout.contextLength, npp + ntg + 1)
                engine = try ClusterEngine.make(executor: executor, tokenizer: loaded.tokenizer, configuration: configuration)
                pipeline = executor
            } else {
                let model = try loaded.loadModel()
                configuration.contextLength = configuration.contextLength ?? min(model.shape.contextLength, npp + ntg + 1)
                engine = try InferenceEngine(model: model, tokenizer: loaded.tokenizer, configuration: configuration)
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        engine.start()
        defer { engine.drain() }
        if !json {
            print("|    PP |    TG |    B |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |")
            print("|-------|-------|------|----------|----------|----------|----------|----------|----------|")
        }
        var random = RandomSource(seed: 1234)
        for parallel in npl {
            let prompts = (0 ..< parallel).map { _ in
                (0 ..< npp).map { _ in Int32.random(in: 1000 ..< Int32(min(loaded.tokenizer.vocabularySize, 200_000)), using: &random) }
            }
            let measurement = try await measure(engine, prompts: prompts)
            if json {
                let object: [String: Any] = [
                    "npp": npp, "ntg": ntg, "npl": parallel, "t_pp": measurement.prefill, "speed_pp": measurement.prefillSpeed,
                    "t_tg": measurement.decode, "speed_tg": measurement.decodeSpeed, "t": measurement.total, "speed": measurement.speed,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(String(format: "| %5d | %5d | %4d | %8.3f | %8.2f | %8.3f | %8.2f | %8.3f | %8.2f |",
                             npp, ntg, parallel, measurement.prefill, measurement.prefillSpeed,
                             measurement.decode, measurement.decodeSpeed, measurement.total, measurement.speed))
            }
        }
        if let pipeline {
            engine.drain()
            await engine.waitForExit()
            printError(PipelineReport(pipeline.traffic, stages: pipeline.layout.stages.count).description)
        }
    }

    /// Times of one run: until every sequence has its first token (prefill), then to the end.
    private struct Measurement {
        var prefill: Double
        var decode: Double
        var promptTokens: Int
        var decodedTokens: Int
        var total: Double { prefill + decode }
        var prefillSpeed: Double { Double(promptTokens) / prefill }
        var decodeSpeed: Double { Double(decodedTokens) / decode }
        var speed: Double { Double(promptTokens + decodedTokens) / total }
    }

    private func measure(_ engine: InferenceEngine, prompts: [[Int32]]) async throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let streams = try prompts.map { prompt in
            do {
                return try engine.submit(GenerationRequest(
                    prompt: prompt, maxTokens: ntg + 1, sampling: .greedy, ignoreEndOfGeneration: true))
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        let timings = await withTaskGroup(of: (first: ContinuousClock.Instant, tokens: Int).self) { group in
            for stream in streams {
                group.addTask {
                    var first: ContinuousClock.Instant?
                    var tokens = 0
                    for await event in stream {
                        if case let .output(output) = event {
                            if first == nil { first = clock.now }
                            tokens += output.tokens.count
                        }
                    }
                    return (first ?? clock.now, tokens)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let end = clock.now
        let allPrefilled = timings.map(\.first).max() ?? end
        let generated = timings.reduce(0) { $0 + $1.tokens }
        guard generated == prompts.count * (ntg + 1) else {
            throw CommandFailure("expected \(prompts.count * (ntg + 1)) generated tokens, got \(generated)")
        }
        // As llama-batched-bench: the prompt phase ends with every sequence's first token; then
        // `ntg` decode steps per sequence.
        return Measurement(
            prefill: (allPrefilled - start).inSeconds, decode: (end - allPrefilled).inSeconds,
            promptTokens: prompts.count * npp, decodedTokens: prompts.count * ntg)
    }
}
