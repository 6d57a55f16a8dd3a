import ArgumentParser
import Foundation
import StrataGGUF

/// `strata inspect`: what a GGUF file holds, from its header.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a GGUF model: architecture, parameters, tensor types, sizes, tokenizer.",
        discussion: "Reads only the header; an unsupported architecture is a one-line error."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Path of a GGUF file (instead of --model).")
    var path: String?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let path = try path ?? modelOptions.resolve().path
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw CommandFailure(error)
        }
        let summary: ModelSummary
        do {
            summary = try ModelSummary(path: path, file: file)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text)
        }
    }
}
