import ArgumentParser

/// `strata bench`: load-tests any OpenAI-compatible server. `run` is the default subcommand,
/// so `strata bench --url …` runs a benchmark; `strata bench compare A.json B.json` compares two
/// reports. (`strata batched-bench` is different: it measures the in-process engine.)
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load-test the throughput and latency of an OpenAI-compatible server.",
        subcommands: [BenchRunCommand.self, BenchCompareCommand.self, BenchABCommand.self],
        defaultSubcommand: BenchRunCommand.self
    )
}
