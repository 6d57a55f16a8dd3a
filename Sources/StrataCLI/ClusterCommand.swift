import ArgumentParser
import Foundation
import StrataCluster

/// `strata cluster`: inspect a cluster's workers.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Inspect a cluster of workers.",
        subcommands: [ClusterStatusCommand.self, ClusterPlanCommand.self]
    )
}

/// `strata cluster status`: asks every worker for its handshake and statistics and prints a
/// table of them, then whether they form one pipeline. Exits 1 when they do not.
struct ClusterStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print each worker's address, layers, state, steps, compute time, traffic and KV blocks."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var clusterOptions: ClusterOptions

    func validate() throws {
        guard clusterOptions.isCluster else { throw ValidationError("give --topology or --worker") }
    }

    func run() async throws {
        let (pipeline, declared) = try clusterOptions.makePipeline(modelPath: modelOptions.resolve().path)
        var rows: [WorkerStatusRow] = []
        for (index, stage) in pipeline.stages.enumerated() {
            do {
                let (handshake, statistics) = try await stage.status(deadline: pipeline.deadline)
                rows.append(WorkerStatusRow(stage: index + 1, address: stage.address, handshake: handshake, statistics: statistics))
            } catch {
                rows.append(WorkerStatusRow(stage: index + 1, address: stage.address, failure: error))
            }
        }
        print(WorkerStatusRow.table(rows))
        guard rows.allSatisfy({ $0.failure == nil }) else {
            throw CommandFailure("pipeline not ready: " + rows.compactMap { $0.failure.map(\.description) }.joined(separator: "; "))
        }
        let layout = try await pipeline.handshake()
        try declared?.check(layout)
        print("pipeline ready: \(layout.stages.count) stages over \(layout.layerCount) layers, "
            + "\(layout.blockCount) KV blocks, model \(ModelDigest.hex(layout.stages[0].modelDigest))")
    }
}
