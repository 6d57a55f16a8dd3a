import ArgumentParser
import Foundation
import StrataEngine
import StrataModels
import StrataTokenizer

/// `strata generate`: continues a prompt, streaming text or printing one JSON object.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Continue a prompt with the model."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var computeOptions: ComputeOptions

    @Option(name: .long, help: "The prompt (BOS is prepended as llama.cpp does).")
    var prompt: String

    @Flag(name: .long, help: "Send the prompt as a user message through the model's chat template.")
    var chat = false

    @Option(name: .long, help: "With --chat: a system message before the user message.")
    var system: String?

    @Option(name: .long, help: "Most tokens to generate.")
    var maxTokens = 128

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .long, help: "Keep only the K most likely tokens (0: all).")
    var topK = 0

    @Option(name: .long, help: "Nucleus sampling threshold (1: off).")
    var topP: Float = 1

    @Option(name: .long, help: "Drop tokens less likely than this fraction of the best (0: off).")
    var minP: Float = 0

    @Option(name: .long, help: "Seed of the random draw.")
    var seed: UInt64?

    @Option(name: .long, help: "Record this many most likely alternatives per generated token.")
    var topLogprobs = 0

    @Flag(name: .long, help: "Print one JSON object with ids, text, per-step logprobs and timings.")
    var json = false

    @Flag(name: .long, help: "Keep generating after an end-of-generation token, up to --max-tokens.")
    var ignoreEos = false

    @Flag(name: .long, help: "Parse special-token text in the prompt as special tokens.")
    var parseSpecial = false

    func validate() throws {
        guard system == nil || chat else { throw ValidationError("--system needs --chat") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be 0 or more") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
        guard minP >= 0, minP <= 1 else { throw ValidationError("--min-p must be in [0, 1]") }
        guard topLogprobs >= 0, topLogprobs <= 100 else { throw ValidationError("--top-logprobs must be in 0...100") }
    }

    func run() throws {
        let loaded = try LoadedModel(path: modelOptions.resolve().path)
        let tokenizer = loaded.tokenizer
        let promptIds = chat
            ? try ChatPrompt.ids(prompt: prompt, system: system, file: loaded.file, tokenizer: tokenizer)
            : tokenizer.encode(prompt, addBOS: tokenizer.addBOSByDefault, parseSpecial: parseSpecial)
        let model = try loaded.loadModel()
        let needed = promptIds.count + maxTokens
        guard needed <= model.shape.contextLength else {
            throw CommandFailure(GenerationError.contextOverflow(
                promptTokens: promptIds.count, maxNewTokens: maxTokens, contextLength: model.shape.contextLength
            ))
        }
        let generator = Generator(model: model, contextLength: needed, threads: computeOptions.resolvedThreads)
        let sampling = SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed)
        var stream = StreamingDecoder(tokenizer: tokenizer)
        let ignoreEos = ignoreEos, json = json
        let result: Generator.Result
        do {
            result = try generator.generate(
                prompt: promptIds, maxTokens: maxTokens, sampling: sampling, topLogprobs: topLogprobs,
                isEndOfGeneration: { !ignoreEos && tokenizer.isEndOfGeneration($0) },
                onToken: { step in
                    if !json, ignoreEos || !tokenizer.isEndOfGeneration(step.token) {
                        writeOut(stream.append(step.token))
                    }
                    return true
                }
            )
        } catch {
            throw CommandFailure(error)
        }
        var ids = result.tokens, steps = result.steps
        if result.finishReason == .stop, !ids.isEmpty {
            ids.removeLast()
            steps.removeLast()
        }
        if json {
            let report = GenerateReport(
                ids: ids, text: tokenizer.decode(ids), steps: steps, promptTokens: result.promptTokens,
                promptSeconds: result.promptSeconds, generatedTokens: result.tokens.count,
                generateSeconds: result.generateSeconds, finishReason: result.finishReason.rawValue
            )
            print(try report.jsonString())
        } else {
            writeOut(stream.finish() + "\n")
        }
    }
}
