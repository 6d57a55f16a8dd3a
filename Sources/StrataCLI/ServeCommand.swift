import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataCatalog
import StrataCluster
import StrataEngine
import StrataServer

/// `strata serve`: the OpenAI-compatible HTTP server (HTTP/1.1, h2c, and HTTP/2 over TLS) over
/// one or more models, each with its own engine and KV budget in one `ServiceGroup`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve models over an OpenAI-compatible HTTP API."
    )

    @OptionGroup var modelOptions: ServeModelOptions
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

    @Option(name: .long, help: "Most tokens per engine step.")
    var maxBatchTokens = 512

    @Option(name: .long, help: "Most requests running at once (per model).")
    var maxRunning = 32

    @Option(name: .long, help: "Most requests waiting (per model); beyond running + waiting, 429.")
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

    @Option(name: .long, help: "Least severe log level printed: trace, debug, info (one line per request), notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0 ... 65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be 0 or more") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !clusterOptions.isCluster || modelOptions.model.count <= 1 else {
            throw ValidationError("a pipeline (--topology/--worker) serves one --model")
        }
    }

    func run() async throws {
        let environmentKey = ProcessInfo.processInfo.environment["STRATA_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var logger = Logger(label: "strata")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let adminKeys = try modelOptions.adminKeys()
        let (sources, catalog) = try modelOptions.resolve(adminKeys: adminKeys)
        do {
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            var models: [ServedModel] = []
            for (index, source) in sources.enumerated() {
                let engineConfiguration = EngineConfiguration(
                    kvCacheMegabytes: modelOptions.kvCacheMegabytes(at: index), maxBatchTokens: maxBatchTokens,
                    maxRunning: maxRunning, maxWaiting: maxWaiting, contextLength: ctxSize,
                    threads: computeOptions.resolvedThreads, releasesSlidingWindowBlocks: !noKvWindowRelease)
                var model = clusterOptions.isCluster
                    ? try await loadOverPipeline(source.path, configuration: engineConfiguration, services: &services)
                    : try ServedModel.load(path: source.path, configuration: engineConfiguration)
                if let version = source.version { model = model.identified(as: version) }
                models.append(model)
            }
            let firstReference: String? = if case let .catalog(reference, _, _) = sources[0] { reference } else { nil }
            let router = try ModelRouter(models: models, catalog: catalog, defaultReference: firstReference)
            let api = StrataAPI(
                router: router, apiKey: apiKey ?? environmentKey, metricsNeedKey: metricsNeedKey, adminKeys: adminKeys,
                limits: ServerLimits(maxBodyBytes: maxBodyBytes))
            let transport = ServerTransport(host: host, port: port, tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey)
            let scheme = tlsCert == nil ? "http" : "https"
            let modelIDs = models.map(\.id).joined(separator: ", ")
            let app = Application(
                router: api.makeRouter(), server: try transport.serverBuilder(),
                configuration: transport.applicationConfiguration,
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? 0
                    printError("strata serve: \(modelIDs) listening on \(scheme)://\(transport.host):\(bound)")
                },
                logger: logger)
            // Shutdown runs in reverse order: the server stops accepting and finishes its
            // responses, then the engines drain what is left; past --drain-timeout, all are cancelled.
            var configuration = ServiceGroupConfiguration(
                services: services + models.map { .init(service: $0.engine) } + [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = .seconds(drainTimeout)
            // A part that ignores cancellation must not keep the process alive forever.
            configuration.maximumCancellationDuration = .seconds(10)
            try await withLeases(on: catalog, digests: router.loadedDigests) {
                try await ServiceGroup(configuration: configuration).run()
            }
        } catch let error as ServerSetupError {
            throw CommandFailure(error.description)
        } catch let error as ClusterError {
            throw CommandFailure(error.description)
        }
    }

    /// The model at `path` with its engine's steps run by the pipeline of workers; the
    /// pipeline's monitor joins `services`.
    private func loadOverPipeline(
        _ path: String, configuration: EngineConfiguration, services: inout [ServiceGroupConfiguration.ServiceConfiguration]
    ) async throws -> ServedModel {
        let executor = try await clusterOptions.connect(modelPath: path)
        let pipeline = executor.pipeline
        let model = try ServedModel.load(path: path, isBackendReady: { pipeline.isReady }) {
            _, tokenizer throws(ServerSetupError) in
            do {
                return try ClusterEngine.make(executor: executor, tokenizer: tokenizer, configuration: configuration)
            } catch {
                throw ServerSetupError("\(error)")
            }
        }
        services.append(.init(service: PipelineMonitor(pipeline: pipeline)))
        printError("strata serve (cluster): pipeline of \(executor.layout.stages.count) workers ready, "
            + "\(executor.layout.blockCount) KV blocks")
        return model
    }

    /// Runs `body` while this process holds leases on `digests` in `catalog`, so that no one
    /// retires a version it serves; the leases are released when `body` ends, and ignored by
    /// everyone once this process is gone (a kill -9).
    private func withLeases(on catalog: Catalog?, digests: Set<String>, _ body: () async throws -> Void) async throws {
        guard let catalog, !digests.isEmpty else { return try await body() }
        try catalogOperation { () throws(CatalogError) in try catalog.acquireLeases(digests: digests) }
        do {
            try await body()
        } catch {
            try? catalog.releaseLeases()
            throw error
        }
        try catalogOperation { () throws(CatalogError) in try catalog.releaseLeases() }
    }
}
