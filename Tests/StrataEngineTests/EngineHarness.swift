import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import StrataTokenizer

/// The default model and tokenizer, loaded once for the engine tests, and helpers to run requests.
enum EngineHarness {
    struct Loaded: Sendable {
        let model: any LanguageModel
        let tokenizer: any Tokenizer
    }

    static func load() throws -> Loaded {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        return Loaded(model: try ArchitectureRegistry.load(file), tokenizer: try makeTokenizer(metadata: file.metadata))
    }

    /// Everything a request produced.
    struct Collected: Sendable, Equatable {
        var tokens: [Int32] = []
        var text = ""
        var logprobs: [TokenLogprob] = []
        var outputEvents = 0
        var summary: GenerationSummary?
    }

    /// Reads a request's stream to the end.
    static func collect(_ stream: AsyncStream<GenerationEvent>) async -> Collected {
        var collected = Collected()
        for await event in stream {
            switch event {
            case let .output(output):
                collected.tokens += output.tokens
                collected.text += output.text
                collected.logprobs += output.logprobs
                collected.outputEvents += 1
            case let .finished(summary):
                collected.summary = summary
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

    /// Runs `body` with a started engine, then drains it and waits for its loop to end.
    static func withEngine<T>(
        _ loaded: Loaded, _ configuration: EngineConfiguration, _ body: (InferenceEngine) async throws -> T
    ) async throws -> T {
        let engine = try InferenceEngine(model: loaded.model, tokenizer: loaded.tokenizer, configuration: configuration)
        engine.start()
        do {
            let result = try await body(engine)
            engine.drain()
            await engine.waitForExit()
            return result
        } catch {
            engine.abort()
            await engine.waitForExit()
            throw error
        }
    }
}
