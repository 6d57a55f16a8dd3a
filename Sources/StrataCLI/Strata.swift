import ArgumentParser

/// The `strata` command.
@main
struct Strata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Distributed LLM inference on CPUs.",
        subcommands: [TokenizeCommand.self, GenerateCommand.self, PerplexityCommand.self, ModelsCommand.self]
    )
}
