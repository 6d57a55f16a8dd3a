import ArgumentParser
import StrataCluster

/// `strata cluster plan`: the workers of a topology file with their layer ranges, balanced
/// over the model when the file gives none. One line per worker, `ADDRESS A:B THREADS`, in
/// stage order (what `cluster/up` starts).
struct ClusterPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print each worker of a topology with its layers (balanced by threads when the file gives none)."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Topology file (JSON) listing the pipeline's workers in stage order.")
    var topology: String

    func run() throws {
        let modelPath = try modelOptions.resolve().path
        do {
            let plan = try Topology(path: topology, model: try ClusterOptions.openModel(modelPath))
            for worker in plan.workers {
                print("\(worker.address) \(worker.firstLayer):\(worker.lastLayer.map(String.init) ?? "") \(worker.threads ?? 1)")
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
