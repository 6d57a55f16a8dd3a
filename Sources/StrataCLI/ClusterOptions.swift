import ArgumentParser
import Foundation
import StrataCluster
import StrataGGUF

/// Options of a coordinator: the workers of its pipeline and how to reach them.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Topology file (JSON) listing the pipeline's workers in stage order.")
    var topology: String?

    @Option(name: .long, help: "A worker's URL (http://HOST:PORT), in stage order; repeat for each stage.")
    var worker: [String] = []

    @Option(name: .long, help: "Shared secret sent to the workers.")
    var clusterToken: String?

    @Option(name: .long, help: "File whose first line is the cluster token.")
    var clusterTokenFile: String?

    @Option(name: .long, help: "Seconds a stage may take to answer one step before the step fails.")
    var stepTimeout: Double = 30

    @Flag(name: .long, help: "Send hidden states between stages as f16 (half the bytes, not bit-identical).")
    var hiddenF16 = false

    @Option(name: .long, help: "Steps in flight through the pipeline at once, each over its own sequences and share of the KV pool (default: one per stage).")
    var microBatches: Int?

    @Option(name: .long, help: "PEM file of the certificates to trust: reach the workers over TLS instead of h2c.")
    var tlsCa: String?

    /// Whether a pipeline was asked for.
    var isCluster: Bool { topology != nil || !worker.isEmpty }

    func validate() throws {
        guard topology == nil || worker.isEmpty else { throw ValidationError("give --topology or --worker, not both") }
        guard stepTimeout > 0 else { throw ValidationError("--step-timeout must be positive") }
        if let microBatches, microBatches < 1 { throw ValidationError("--micro-batches must be at least 1") }
    }

    /// Handshakes the workers for the model at `modelPath` and returns the executor over them.
    func connect(modelPath: String) async throws -> PipelineExecutor {
        let (pipeline, declared) = try makePipeline(modelPath: modelPath)
        let layout = try await pipeline.handshake()
        try declared?.check(layout)
        return PipelineExecutor(pipeline: pipeline, layout: layout, hiddenEncoding: hiddenF16 ? .f16 : .f32,
                                microBatches: microBatches)
    }

    /// The model file, for balancing a topology's layers.
    static func openModel(_ path: String) throws(ClusterError) -> GGUFFile {
        do { return try GGUFFile(path: path) } catch {
            throw .configuration("cannot read the model '\(path)': \(error)")
        }
    }

    /// The pipeline of the workers given, not yet connected, and the topology file's declaration.
    func makePipeline(modelPath: String) throws -> (Pipeline, Topology?) {
        let declared = try topology.map { path throws(ClusterError) in try Topology(path: path, model: try Self.openModel(modelPath)) }
        let addresses = try declared.map { $0.workers.map(\.address) }
            ?? worker.map { url throws(ClusterError) in try WorkerAddress(parsing: url) }
        let token = try ClusterToken.resolve(value: clusterToken, file: clusterTokenFile,
                                             environment: ProcessInfo.processInfo.environment)
        let tls = try tlsCa.map { path throws(ClusterError) in try ClusterTLS.client(trustPath: path) }
        let pipeline = Pipeline(addresses: addresses, token: token, modelDigest: try ModelDigest.of(path: modelPath),
                                stepTimeout: .milliseconds(Int(stepTimeout * 1000)), tls: tls)
        return (pipeline, declared)
    }
}
