import ArgumentParser
import Foundation
import StrataCluster

/// Which layers a worker holds: given directly with `--layers`, or taken from the entry
/// `--stage N` of a `--topology` file (its layers, and its threads unless `--threads` is given).
/// The second form lets a fleet ship one topology to every worker, each knowing only its stage
/// number, such as a StatefulSet pod's ordinal.
struct WorkerPlacementOptions: ParsableArguments {
    @Option(name: .long, help: "Layers to hold, A:B (half-open; 'A:' runs to the last layer).")
    var layers: String?

    @Option(name: .long, help: "Topology file (JSON): hold the layers of the entry of --stage.")
    var topology: String?

    @Option(name: .long, help: "This worker's stage in --topology, counting from 0.")
    var stage: Int?

    /// Layers `[first, last)` (`last` nil: to the end) and the thread count a placement names.
    struct Placement: Equatable {
        var firstLayer: Int
        var lastLayer: Int?
        var threads: Int?

        /// `threads`, else every core.
        var resolvedThreads: Int { max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }
    }

    func validate() throws {
        switch (layers, topology, stage) {
        case (.some, nil, nil), (nil, .some, .some): break
        case (.some, _, _): throw ValidationError("give --layers or --topology with --stage, not both")
        case (nil, nil, nil): throw ValidationError("give --layers, or --topology with --stage")
        default: throw ValidationError("--topology and --stage go together")
        }
        if let stage, stage < 0 { throw ValidationError("--stage must be 0 or more") }
    }

    /// The layers to hold and the threads to use: `threads` (from `--threads`) wins over the
    /// topology entry's; nil leaves the choice to the caller. A topology that gives no layers is
    /// balanced over the model at `modelPath`, as the coordinator and `strata cluster plan` do.
    func resolve(threads: Int?, modelPath: String) throws(ClusterError) -> Placement {
        if let topology, let stage {
            let entry = try Topology(path: topology, model: try ClusterOptions.openModel(modelPath)).stage(stage)
            return Placement(firstLayer: entry.firstLayer, lastLayer: entry.lastLayer, threads: threads ?? entry.threads)
        }
        let range = try WorkerStage.parseLayers(layers ?? "")
        return Placement(firstLayer: range.first, lastLayer: range.last, threads: threads)
    }
}
