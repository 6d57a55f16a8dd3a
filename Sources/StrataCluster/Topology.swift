import Foundation
import StrataGGUF

/// A cluster's layout, read from a JSON file (see `cluster/*.json`): the workers of one pipeline
/// in stage order, each with its address and layer range. `cluster/up` starts the workers from
/// it; the coordinator handshakes them and checks that they hold the declared layers.
///
/// ```json
/// {"workers": [{"address": "127.0.0.1:7101", "layers": "0:9", "threads": 1},
///              {"address": "127.0.0.1:7102", "layers": "9:18", "threads": 1}]}
/// ```
///
/// When no worker gives `layers`, the ranges are balanced by `LayerBalancer` over the model's
/// layers with each worker's `threads` (default 1) as its capacity; the model file is then
/// needed to read the topology. Giving `layers` for some workers only is an error.
public struct Topology: Sendable, Equatable {
    /// One stage.
    public struct Worker: Sendable, Equatable {
        public var address: WorkerAddress
        /// Declared layers `[first, last)`; nil for "to the end".
        public var firstLayer: Int
        public var lastLayer: Int?
        /// Compute threads (for `cluster/up`).
        public var threads: Int?
    }

    /// The workers, first stage first.
    public var workers: [Worker]

    private struct File: Decodable {
        struct Entry: Decodable {
            var address: String
            var layers: String?
            var threads: Int?
        }
        var workers: [Entry]
    }

    /// Parses a topology document; `model` balances the layer ranges when no worker gives them.
    public init(json: Data, model: GGUFFile? = nil) throws(ClusterError) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw .configuration("not a topology document: \(error)")
        }
        guard !file.workers.isEmpty else { throw .configuration("a topology needs at least one worker") }
        for entry in file.workers {
            if let threads = entry.threads, threads < 1 { throw .configuration("threads must be at least 1") }
        }
        let explicit = file.workers.filter { $0.layers != nil }.count
        var ranges: [(first: Int, last: Int?)] = []
        if explicit == file.workers.count {
            for entry in file.workers { ranges.append(try WorkerStage.parseLayers(entry.layers ?? "")) }
        } else if explicit == 0 {
            guard let model else {
                throw .configuration("the topology gives no layers: they are balanced over the model, which is needed")
            }
            let capacities = file.workers.map { Double($0.threads ?? 1) }
            ranges = try LayerBalancer.ranges(for: model, capacities: capacities).map { ($0.lowerBound, $0.upperBound) }
        } else {
            throw .configuration("give 'layers' for every worker of the topology or for none (then they are balanced)")
        }
        var workers: [Worker] = []
        for (entry, range) in zip(file.workers, ranges) {
            workers.append(Worker(address: try WorkerAddress(parsing: entry.address), firstLayer: range.first,
                                  lastLayer: range.last, threads: entry.threads))
        }
        self.workers = workers
    }

    /// Reads and parses the topology file at `path`; `model` as for `init(json:model:)`.
    public init(path: String, model: GGUFFile? = nil) throws(ClusterError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read the topology file '\(path)'")
        }
        try self.init(json: data, model: model)
    }

    /// Throws unless `layout`'s stages hold the layers this topology declares.
    public func check(_ layout: PipelineLayout) throws(ClusterError) {
        for (index, (declared, stage)) in zip(workers, layout.stages).enumerated() {
            guard declared.firstLayer == stage.firstLayer, (declared.lastLayer ?? stage.layerCount) == stage.lastLayer else {
                throw .topology("worker \(index + 1) (\(declared.address)) holds layers \(stage.firstLayer):\(stage.lastLayer), "
                    + "the topology declares \(declared.firstLayer):\(declared.lastLayer.map(String.init) ?? "")")
            }
        }
    }
}
