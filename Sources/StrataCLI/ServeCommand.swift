import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataCluster
import StrataEngine
import StrataServer

/// `strata serve`: the OpenAI-compatible HTTP server (HTTP/1.1, h2c, and HTTP/2 over TLS).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the model over an OpenAI-compatible HTTP API."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup(title: "Cluster (run the steps on a pipeline of workers)") var clusterOptions: ClusterOptions

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to bind (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .long, help: "Require 'Authorization: Bearer KEY' on /v1/* (default: $STRATA_API_KEY).")
    var apiKey: String?

    @Flag(name: .long, help: "Require the API key on /metrics too.")
    var metricsNeedKey = false

    @Option(name: .long, help: "KV cache budget in MiB (default: 1024, less when that is more than --max-running contexts need).")
    var kvCacheMb: Int?

    @Option(name: .long, help: "Most tokens per engine step.")
    var maxBatchTokens = 512

    @Option(name: .long, help: "Most requests running at once.")
    var maxRunning = 32

    @Option(name: .long, help: "Most requests waiting; beyond running + waiting, 429.")
    var maxWaiting = 256

    @Option(name: .long, help: "Context length (default: the model's).")
    var ctxSize: Int?

    @Flag(name: .long, help: "Keep every layer's KV blocks for the whole sequence instead of releasing sliding-window layers' blocks that fall behind the window.")
    var noKvWindowRelease = false

    @Option(name: .long, help: "PEM certificate chain: serve HTTP/2 and HTTP/1.1 over TLS (with --tls-key).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .long, help: "Seconds in-flight requests may take to finish after SIGTERM/SIGINT.")
    var drainTimeout = 30

    @Option(name: .long, help: "Largest request body in bytes (larger: 413).")
    var maxBodyBytes = 4 << 20

    func validate() throws {
        guard (0 ... 65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be 0 or more") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let engineConfiguration = EngineConfiguration(
            kvCacheMegabytes: kvCacheMb, maxBatchTokens: maxBatchTokens, maxRunning: maxRunning, maxWaiting: maxWaiting,
            contextLength: ctxSize, threads: computeOptions.resolvedThreads, releasesSlidingWindowBlocks: !noKvWindowRelease)
        let environmentKey = ProcessInfo.processInfo.environment["STRATA_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let logger = Logger(label: "strata")
        do {
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            let model: ServedModel
            if clusterOptions.isCluster {
                let executor = try await clusterOptions.connect(modelPath: modelOptions.resolvedPath)
                let pipeline = executor.pipeline
                model = try ServedModel.load(path: modelOptions.resolvedPath, isBackendReady: { pipeline.isReady }) {
                    _, tokenizer throws(ServerSetupError) in
                    do {
                        return try ClusterEngine.make(executor: executor, tokenizer: tokenizer, configuration: engineConfiguration)
                    } catch {
                        throw ServerSetupError("\(error)")
                    }
                }
                services.append(.init(service: PipelineMonitor(pipeline: pipeline)))
                printError("strata serve (cluster): pipeline of \(executor.layout.stages.count) workers ready, "
                    + "\(executor.layout.blockCount) KV blocks")
            } else {
                model = try ServedModel.load(path: modelOptions.resolvedPath, configuration: engineConfiguration)
            }
            let api = StrataAPI(
                model: model, apiKey: apiKey ?? environmentKey, metricsNeedKey: metricsNeedKey,
                limits: ServerLimits(maxBodyBytes: maxBodyBytes))
            let transport = ServerTransport(host: host, port: port, tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey)
            let scheme = tlsCert == nil ? "http" : "https"
            let modelID = model.id
            let app = Application(
                router: api.makeRouter(), server: try transport.serverBuilder(),
                configuration: transport.applicationConfiguration,
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? 0
                    printError("strata serve: \(modelID) listening on \(scheme)://\(transport.host):\(bound)")
                },
                logger: logger)
            // Shutdown runs in reverse order: the server stops accepting and finishes its
            // responses, then the engine drains what is left; past --drain-timeout, both are cancelled.
            var configuration = ServiceGroupConfiguration(
                services: services + [.init(service: model.engine), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = .seconds(drainTimeout)
            // A part that ignores cancellation must not keep the process alive forever.
            configuration.maximumCancellationDuration = .seconds(10)
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as ServerSetupError {
            throw CommandFailure(error.description)
        } catch let error as ClusterError {
            throw CommandFailure(error.description)
        }
    }
}
