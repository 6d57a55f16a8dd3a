import NIOCore
import NIOPosix
import NIOSSL

/// The workers of one pipeline, in stage order, for the model of `modelDigest`.
public final class Pipeline: Sendable {
    /// The stages' clients, first stage first.
    public let stages: [StageClient]
    /// Longest wait for one stage's reply to a step (or a handshake).
    public let stepTimeout: Duration
    let modelDigest: [UInt8]

    /// A pipeline of the workers at `addresses`, in order, over TLS with `tls` when given (else h2c).
    public init(addresses: [WorkerAddress], token: ClusterToken, modelDigest: [UInt8], stepTimeout: Duration = .seconds(30),
                tls: NIOSSLContext? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        stages = addresses.map { StageClient(address: $0, token: token, modelDigest: modelDigest, tls: tls, group: group) }
        self.stepTimeout = stepTimeout
        self.modelDigest = modelDigest
    }

    /// The deadline of a request sent now: `stepTimeout` from now.
    public var deadline: NIODeadline {
        let (seconds, attoseconds) = stepTimeout.components
        return .now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Handshakes every worker and checks that they form one pipeline.
    public func handshake() async throws(ClusterError) -> PipelineLayout {
        var handshakes: [Handshake] = []
        for stage in stages {
            do {
                handshakes.append(try await stage.connected(deadline: deadline).get().1)
            } catch let error as ClusterError {
                throw error
            } catch {
                throw .unreachable(address: stage.address.description, reason: "\(error)")
            }
        }
        return try PipelineLayout(stages: handshakes, modelDigest: modelDigest)
    }

    /// Whether every stage is connected (the pipeline can serve).
    public var isReady: Bool { stages.allSatisfy(\.isConnected) }

    /// Tries to reconnect every stage that is down (within its backoff); returns `isReady`.
    public func probe() async -> Bool {
        for stage in stages where !stage.isConnected {
            _ = try? await stage.connected(deadline: deadline).get()
        }
        return isReady
    }
}
