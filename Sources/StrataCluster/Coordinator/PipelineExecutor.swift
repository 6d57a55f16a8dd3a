import Dispatch
import NIOCore
import StrataEngine
import StrataScheduling

/// Runs engine steps across a pipeline of workers: the coordinator sends the step's tokens to
/// stage 1, relays each stage's hidden states to the next (workers never talk to each other),
/// and returns the last stage's sampled tokens. One step is in flight at a time.
///
/// Samplers live on the last stage: new and removed sequences travel with the next step. A stage
/// that fails, drops its connection or misses the step deadline makes `execute` throw (the
/// engine aborts that batch); the next step reconnects, within the stage's backoff. After a
/// failure, sequences whose KV the stages may have lost are refused unless recomputed from
/// position 0; a restarted last stage gets every live sampler again.
public final class PipelineExecutor: StepExecutor {
    // Used only by the engine thread, like every StepExecutor.
    /// The pipeline stepped through.
    public let pipeline: Pipeline
    /// The layout agreed at start; a reconnected worker must still fit it.
    public let layout: PipelineLayout
    /// How hidden states cross the wire between stages.
    public let hiddenEncoding: HiddenStates.Encoding
    private var live: [SequenceID: SequenceSampler.Configuration] = [:]
    private var pendingNew: [SequenceID] = []
    private var pendingRemoved: [SequenceID] = []
    private var computed: Set<SequenceID> = []
    private var suspect: Set<SequenceID> = []
    private var instances: [UInt64]
    private var nextStep: UInt64 = 1
    /// Bytes sent to and received from workers, for `strata` reports and benchmarks.
    public private(set) var traffic = Traffic()

    /// Bytes, steps and transport time crossing the network.
    public struct Traffic: Sendable, Equatable {
        /// Steps completed.
        public var steps = 0
        /// Frame bytes sent to and received from workers (HTTP/2 framing not counted).
        public var bytesSent = 0
        public var bytesReceived = 0
        /// Recent hops' transport time: a stage's round trip minus the compute time it reported
        /// (encoding, HTTP/2, loopback or network, decoding), in nanoseconds; the last 100,000.
        public var hopNanoseconds: [UInt64] = []

        mutating func recordHop(_ nanoseconds: UInt64) {
            if hopNanoseconds.count == 100_000 { hopNanoseconds.removeFirst(50_000) }
            hopNanoseconds.append(nanoseconds)
        }
    }

    /// An executor over `pipeline`, whose handshakes gave `layout`.
    public init(pipeline: Pipeline, layout: PipelineLayout, hiddenEncoding: HiddenStates.Encoding = .f32) {
        self.pipeline = pipeline
        self.layout = layout
        self.hiddenEncoding = hiddenEncoding
        instances = layout.stages.map(\.instanceID)
    }

    public func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration) {
        live[id] = sampling
        pendingNew.append(id)
    }

    public func removeSequence(_ id: SequenceID) {
        guard live.removeValue(forKey: id) != nil else { return }
        computed.remove(id)
        suspect.remove(id)
        if let index = pendingNew.firstIndex(of: id) {
            pendingNew.remove(at: index)  // the last stage never heard of it
        } else {
            pendingRemoved.append(id)
        }
    }

    public func execute(_ batch: ScheduledBatch) throws -> [SampledToken] {
        let deadline = pipeline.deadline
        let connections = try connectStages(deadline: deadline)
        for entry in batch.entries where suspect.contains(entry.sequenceID) {
            guard entry.startPosition == 0 else {
                throw ClusterError.invalidStep("sequence \(entry.sequenceID) lost its KV cache in a stage failure")
            }
            suspect.remove(entry.sequenceID)
        }
        let rows = batch.rows()
        var samples: [StepRequest.Sample] = []
        var row = 0
        for entry in batch.entries {
            row += entry.tokens.count
            if entry.samplesNextToken { samples.append(StepRequest.Sample(row: row - 1, sequenceID: entry.sequenceID)) }
        }
        let stepID = nextStep
        nextStep += 1
        computed.formUnion(batch.entries.map(\.sequenceID))
        do {
            return try run(stepID: stepID, rows: rows, samples: samples, on: connections, deadline: deadline)
        } catch {
            suspect.formUnion(computed)
            throw error
        }
    }

    private func run(
        stepID: UInt64, rows: (tokens: [Int32], positions: [Int32], sequenceIndices: [Int32], blockTables: [[Int32]]),
        samples: [StepRequest.Sample], on connections: [StageConnection], deadline: NIODeadline
    ) throws -> [SampledToken] {
        var input = StepRequest.Input.tokens(rows.tokens)
        for (index, stage) in pipeline.stages.enumerated() {
            let isLast = index == pipeline.stages.count - 1
            var request = StepRequest(stepID: stepID, input: input, positions: rows.positions,
                                      sequenceIndices: rows.sequenceIndices, blockTables: rows.blockTables,
                                      outputEncoding: hiddenEncoding)
            if isLast {
                request.samples = samples
                request.newSequences = pendingNew.compactMap { id in live[id].map { .init(id: id, sampling: $0) } }
                request.removedSequences = pendingRemoved
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let frame = request.encoded()
            let reply = try stage.step(frame, on: connections[index], deadline: deadline).wait()
            let response: StepResponse
            do { response = try StepResponse(decoding: reply.body) } catch {
                throw ClusterError.malformed(address: stage.address.description, error)
            }
            let roundTrip = DispatchTime.now().uptimeNanoseconds - start
            traffic.bytesSent += frame.count
            traffic.bytesReceived += reply.body.count
            traffic.recordHop(roundTrip - min(roundTrip, reply.computeNanoseconds ?? 0))
            switch response {
            case let .hidden(id, hidden) where !isLast && id == stepID && hidden.rows == rows.positions.count:
                input = .hidden(hidden)
            case let .sampled(id, tokens) where isLast && id == stepID && tokens.count == samples.count:
                pendingNew = []
                pendingRemoved = []
                traffic.steps += 1
                return tokens
            default:
                throw ClusterError.invalidStep("stage \(index + 1) (\(stage.address)) answered step \(stepID) with the wrong frame")
            }
        }
        throw ClusterError.topology("a pipeline needs at least one worker")
    }

    /// Connects every stage that is down. A worker that restarted has lost its KV cache (and, if
    /// last, its samplers): every computed sequence becomes suspect and the live samplers are sent again.
    private func connectStages(deadline: NIODeadline) throws -> [StageConnection] {
        var connections: [StageConnection] = []
        for (index, stage) in pipeline.stages.enumerated() {
            let (connection, handshake) = try stage.connected(deadline: deadline).wait()
            guard layout.admits(handshake, asStage: index) else {
                stage.disconnect()
                throw ClusterError.topology("worker \(stage.address) no longer fits stage \(index + 1) of the pipeline")
            }
            if handshake.instanceID != instances[index] {
                instances[index] = handshake.instanceID
                suspect.formUnion(computed)
                if index == pipeline.stages.count - 1 {
                    pendingNew = live.keys.sorted()
                    pendingRemoved = []
                }
            }
            connections.append(connection)
        }
        return connections
    }
}
