import Foundation

/// A cluster's layout, read from a JSON file (see `cluster/*.json`): the workers of one pipeline
/// in stage order, each with its address and layer range. `cluster/up` starts the workers from
/// it; the coordinator handshakes them and checks that they hold the declared layers.
///
/// ```json
/// {"workers": [{"address": "127.0.0.1:7101", "layers": "0:9", "threads": 1},
///              {"address": "127.0.0.1:7102", "layers": "9:18", "threads": 1}]}
/// ```
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
            var layers: String
            var threads: Int?
        }
        var workers: [Entry]
    }

    /// Parses a topology document.
    public init(json: Data) throws(ClusterError) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw .configuration("not a topology document: \(error)")
        }
        guard !file.workers.isEmpty else { throw .configuration("a topology needs at least one worker") }
        var workers: [Worker] = []
        for entry in file.workers {
            let layers = try WorkerStage.parseLayers(entry.layers)
            if let threads = entry.threads, threads < 1 { throw .configuration("threads must be at least 1") }
            workers.append(Worker(address: try WorkerAddress(parsing: entry.address), firstLayer: layers.first,
                                  lastLayer: layers.last, threads: entry.threads))
        }
        self.workers = workers
    }

    /// Reads and parses the topology file at `path`.
    public init(path: String) throws(ClusterError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read the topology file '\(path)'")
        }
        try self.init(json: data)
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
