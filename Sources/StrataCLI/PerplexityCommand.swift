import ArgumentParser
import Foundation
import StrataEngine

/// `strata perplexity`: llama.cpp's perplexity protocol over a text file.
struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Measure perplexity on a text file (llama-perplexity's protocol).",
        discussion: """
        The text is tokenized with BOS (when the model takes one) and cut into windows of --ctx \
        tokens, each starting with BOS and evaluated on a fresh cache; the second half of each \
        window is scored.
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var computeOptions: ComputeOptions

    @Option(name: .long, help: "The text file to evaluate.")
    var file: String

    @Option(name: .long, help: "Window (context) length in tokens.")
    var ctx = 512

    func validate() throws {
        guard ctx >= 4 else { throw ValidationError("--ctx must be at least 4") }
    }

    func run() throws {
        let loaded = try LoadedModel(path: modelOptions.resolve().path)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("cannot read '\(file)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let tokenizer = loaded.tokenizer
        let addBOS = tokenizer.addBOSByDefault && tokenizer.specialTokens.bos != nil
        let tokens = tokenizer.encode(text, addBOS: addBOS, parseSpecial: false)
        let bos = addBOS ? tokenizer.specialTokens.bos : nil
        let model = try loaded.loadModel()
        let evaluator = PerplexityEvaluator(model: model, context: ctx, threads: computeOptions.resolvedThreads)
        // writeOut, not print: the progress below is written unbuffered and must come after this line.
        writeOut("\(tokens.count) tokens, \(tokens.count / ctx) windows of \(ctx)\n")
        let result: PerplexityEvaluator.Result
        do {
            result = try evaluator.evaluate(tokens: tokens, bos: bos) { window, _, running in
                writeOut("[\(window)]\(String(format: "%.4f", running)),")
            }
        } catch {
            throw CommandFailure(error)
        }
        print("")
        print(String(format: "PPL = %.4f +/- %.4f", result.perplexity, result.standardError))
    }
}
