import ServiceLifecycle

/// Keeps a pipeline's readiness current without waiting for traffic: every `interval` it tries
/// to reconnect the stages that are down (each within its own backoff). A `Service`.
public struct PipelineMonitor: Service {
    private let pipeline: Pipeline
    private let interval: Duration

    /// A monitor probing `pipeline` every `interval`.
    public init(pipeline: Pipeline, interval: Duration = .milliseconds(500)) {
        self.pipeline = pipeline
        self.interval = interval
    }

    /// Probes until graceful shutdown or cancellation.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    _ = await pipeline.probe()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutdown.
        }
    }
}
