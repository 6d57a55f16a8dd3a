import ArgumentParser
import StrataCluster

/// `strata cluster`: inspect a cluster's workers.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Inspect a cluster of workers.",
        subcommands: [ClusterStatusCommand.self]
    )
}

/// `strata cluster status`: handshakes every worker and prints a table of them.
struct ClusterStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Handshake every worker of a pipeline and print address, layers, KV blocks and state."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var clusterOptions: ClusterOptions

    func validate() throws {
        guard clusterOptions.isCluster else { throw ValidationError("give --topology or --worker") }
    }

    func run() async throws {
        let executor = try await clusterOptions.connect(modelPath: modelOptions.resolve().path)
        let layout = executor.layout
        print("ADDRESS                 LAYERS    KV BLOCKS  CONTEXT  STATE")
        for (stage, handshake) in zip(executor.pipeline.stages, layout.stages) {
            let layers = "\(handshake.firstLayer):\(handshake.lastLayer)"
            print(stage.address.description.padding(toLength: 24, withPad: " ", startingAt: 0)
                + layers.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(handshake.blockCount).padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(handshake.contextLength).padding(toLength: 9, withPad: " ", startingAt: 0)
                + (stage.isConnected ? "ready" : "down"))
        }
        print("pipeline ready: \(layout.stages.count) stages over \(layout.layerCount) layers, "
            + "\(layout.blockCount) KV blocks, model \(ModelDigest.hex(layout.stages[0].modelDigest))")
    }
}
