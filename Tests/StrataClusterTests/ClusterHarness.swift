import Foundation
import StrataCluster
import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import StrataTokenizer

/// The default model, its digest and tokenizer, shared by the loopback tests, and helpers to run
/// requests against an engine.
enum ClusterHarness {
    static let token = "loopback-test-token"

    struct Loaded: Sendable {
        let path: String
        let digest: [UInt8]
        let tokenizer: any Tokenizer
        let layerCount: Int
    }

    static func load() throws -> Loaded {
        let path = try TestResources.requireDefaultModel()
        let file = try GGUFFile(path: path)
        return Loaded(path: path, digest: try ModelDigest.of(path: path), tokenizer: try makeTokenizer(metadata: file.metadata),
                      layerCount: try ArchitectureRegistry.layerCount(of: file))
    }

    /// Everything a request produced.
    struct Collected: Sendable, Equatable {
        var tokens: [Int32] = []
        var logprobs: [TokenLogprob] = []
        var finishReason: GenerationSummary.FinishReason?
    }

    static func collect(_ stream: AsyncStream<GenerationEvent>) async -> Collected {
        var collected = Collected()
        for await event in stream {
            switch event {
            case let .output(output):
                collected.tokens += output.tokens
                collected.logprobs += output.logprobs
            case let .finished(summary):
                collected.finishReason = summary.finishReason
            }
        }
        return collected
    }

    /// Submits every request at once and collects them all, in order.
    static func runConcurrently(_ engine: InferenceEngine, _ requests: [GenerationRequest]) async throws -> [Collected] {
        let streams = try requests.map { try engine.submit($0) }
        return await withTaskGroup(of: (Int, Collected).self) { group in
            for (index, stream) in streams.enumerated() {
                group.addTask { (index, await collect(stream)) }
            }
            var results = [Collected](repeating: Collected(), count: streams.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// The fixture's prompts (token ids) and completion lengths.
    static func fixturePrompts() throws -> [(prompt: [Int32], completion: Int)] {
        _ = try TestResources.requireFixture("greedy-gemma3.json")
        guard let root = try TestResources.fixtureJSON("greedy-gemma3.json") as? [String: Any],
              let cases = root["cases"] as? [[String: Any]]
        else { throw MissingTestResource(description: "greedy-gemma3.json is malformed") }
        return try cases.map { raw in
            guard let prompt = raw["prompt_ids"] as? [Int], let completion = raw["completion_ids"] as? [Int] else {
                throw MissingTestResource(description: "greedy-gemma3.json case is malformed")
            }
            return (prompt.map { Int32($0) }, completion.count)
        }
    }

    /// Starts workers for `ranges`, runs `body` with them, and stops them whatever happens.
    static func withWorkers<T>(_ ranges: [String], model: String, _ body: ([WorkerProcess]) async throws -> T) async throws -> T {
        var workers: [WorkerProcess] = []
        defer { for worker in workers { worker.stop() } }
        for range in ranges { workers.append(try WorkerProcess.start(layers: range, token: token, model: model)) }
        return try await body(workers)
    }

    /// An engine over a pipeline of `workers`, started; the caller drains it.
    static func pipelineEngine(_ loaded: Loaded, workers: [WorkerProcess], configuration: EngineConfiguration,
                               stepTimeout: Duration = .seconds(60)) async throws -> (InferenceEngine, Pipeline) {
        let pipeline = Pipeline(addresses: workers.map { WorkerAddress(host: "127.0.0.1", port: $0.port) },
                                token: try ClusterToken(token), modelDigest: loaded.digest, stepTimeout: stepTimeout)
        let layout = try await pipeline.handshake()
        let executor = PipelineExecutor(pipeline: pipeline, layout: layout)
        let engine = try ClusterEngine.make(executor: executor, tokenizer: loaded.tokenizer, configuration: configuration)
        engine.start()
        return (engine, pipeline)
    }
}
