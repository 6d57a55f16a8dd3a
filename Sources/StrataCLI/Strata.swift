import ArgumentParser

@main
struct Strata: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "strata", abstract: "Distributed LLM inference on CPUs.")
}
