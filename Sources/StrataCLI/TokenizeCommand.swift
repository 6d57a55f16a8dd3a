import ArgumentParser

/// `strata tokenize`: prints the token ids of a text as a JSON array.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the token ids of a text as a JSON array."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Flag(name: .long, help: "Prepend the beginning-of-sequence token.")
    var addBos = false

    @Flag(name: .long, help: "Parse special-token text such as <start_of_turn> as special tokens.")
    var parseSpecial = false

    @Option(name: .long, help: "The text to tokenize.")
    var text: String

    func run() throws {
        let loaded = try LoadedModel(path: modelOptions.resolve().path)
        let ids = loaded.tokenizer.encode(text, addBOS: addBos, parseSpecial: parseSpecial)
        print("[" + ids.map(String.init).joined(separator: ", ") + "]")
    }
}
