import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StrataCluster

/// `strata worker`: one pipeline stage serving its layers over HTTP/2 to the coordinator.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Serve a layer range of a model as one stage of a cluster pipeline (HTTP/2, h2c)."
    )

    @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen = "127.0.0.1:7101"

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var placement: WorkerPlacementOptions

    @OptionGroup var computeOptions: ComputeOptions

    @Option(name: .long, help: "Shared secret every coordinator request must carry.")
    var clusterToken: String?

    @Option(name: .long, help: "File whose first line is the cluster token.")
    var clusterTokenFile: String?

    @Option(name: .long, help: "KV cache budget for the held layers in MiB (default: 1024, or less when that holds --max-running full contexts).")
    var kvCacheMb: Int?

    @Option(name: .long, help: "Most tokens per step.")
    var maxBatchTokens = 512

    @Option(name: .long, help: "Most sequences sampled per step (last stage).")
    var maxRunning = 32

    @Option(name: .long, help: "Context length per sequence (default: the model's).")
    var ctxSize: Int?

    @Option(name: .long, help: "Tokens per KV cache block (must match the coordinator's).")
    var blockSize = 16

    @Option(name: .long, help: "PEM certificate chain: serve HTTP/2 over TLS (with --tls-key) instead of h2c.")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let address = try WorkerAddress(parsing: listen)
        let token = try ClusterToken.resolve(value: clusterToken, file: clusterTokenFile,
                                             environment: ProcessInfo.processInfo.environment)
        let modelPath = try modelOptions.resolve().path
        let held = try placement.resolve(threads: computeOptions.threads, modelPath: modelPath)
        var options = WorkerStage.Options(modelPath: modelPath, firstLayer: held.firstLayer,
                                          lastLayer: held.lastLayer, threads: held.resolvedThreads)
        options.kvCacheMegabytes = kvCacheMb
        options.maxBatchTokens = maxBatchTokens
        options.maxRunning = maxRunning
        options.contextLength = ctxSize
        options.blockSize = blockSize
        let tls = try tlsCert.map { cert throws(ClusterError) in try ClusterTLS.server(certificatePath: cert, keyPath: tlsKey ?? "") }
        let (stage, handshake) = try WorkerStage.load(options)
        let server = try await WorkerServer(host: address.host, port: address.port, token: token,
                                            handshake: handshake, stage: stage, tls: tls)
        let port = server.localAddress.port ?? address.port
        // Unbuffered, so `cluster/up` and the tests see it at once.
        writeOut("worker listening on \(address.host):\(port) (\(tls == nil ? "h2c" : "TLS")) layers \(handshake.firstLayer):\(handshake.lastLayer) "
            + "of \(handshake.layerCount), \(handshake.blockCount) KV blocks, model \(ModelDigest.hex(handshake.modelDigest))\n")
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint],
                                 logger: Logger(label: "strata.worker"))
        try await group.run()
    }
}
