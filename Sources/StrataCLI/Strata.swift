import ArgumentParser

/// The `strata` command.
@main
struct Strata: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Distributed LLM inference on CPUs.",
        subcommands: [
            InspectCommand.self, TokenizeCommand.self, GenerateCommand.self, PerplexityCommand.self,
            BatchedBenchCommand.self, ModelsCommand.self, ServeCommand.self, BenchCommand.self, WorkerCommand.self,
            ClusterCommand.self,
        ]
    )
}
