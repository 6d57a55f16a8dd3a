import Dispatch
import NIOCore
import StrataEngine
import StrataScheduling

/// Runs engine steps across a pipeline of workers: the coordinator sends the step's tokens to
/// stage 1, relays each stage's hidden states to the next (workers never talk to each other),
/// and returns the last stage's sampled tokens (`StepRelay`).
///
/// Several steps travel at once (`maxStepsInFlight`, by default one per stage): the engine gives
/// each micro-batch its own sequences and block range, so while stage 2 computes one
/// micro-batch, stage 1 computes the next, and every stage works.
///
/// Samplers live on the last stage: a new sequence's travels with the first step that computes
/// it, removed sequences with the next step. A stage that fails, drops its connection or misses
/// the step deadline fails the step (the engine aborts that batch); the next step reconnects,
/// within the stage's backoff. After a failure, sequences whose KV the stages may have lost are
/// refused unless recomputed from position 0; a restarted last stage gets every live sampler again.
public final class PipelineExecutor: StepExecutor {
    // Used only by the engine thread, like every StepExecutor; `StepRelay`s run on event loops.
    /// The pipeline stepped through.
    public let pipeline: Pipeline
    /// The layout agreed at start; a reconnected worker must still fit it.
    public let layout: PipelineLayout
    /// How hidden states cross the wire between stages.
    public let hiddenEncoding: HiddenStates.Encoding
    /// Micro-batches in flight at once.
    public let maxStepsInFlight: Int
    private var live: [SequenceID: SequenceSampler.Configuration] = [:]
    private var pendingNew: Set<SequenceID> = []
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
        /// Recent hops' transport time: a stage's round trip minus the time the worker reported
        /// spending on the step, queueing included (encoding, HTTP/2, loopback or network,
        /// decoding), in nanoseconds; the last 100,000.
        public var hopNanoseconds: [UInt64] = []

        mutating func record(_ outcome: StepRelay.Outcome) {
            steps += 1
            bytesSent += outcome.bytesSent
            bytesReceived += outcome.bytesReceived
            if hopNanoseconds.count + outcome.hopNanoseconds.count > 100_000 { hopNanoseconds.removeFirst(50_000) }
            hopNanoseconds += outcome.hopNanoseconds
        }
    }

    /// An executor over `pipeline`, whose handshakes gave `layout`, with `microBatches` steps in
    /// flight at once (default: one per stage).
    public init(pipeline: Pipeline, layout: PipelineLayout, hiddenEncoding: HiddenStates.Encoding = .f32,
                microBatches: Int? = nil) {
        self.pipeline = pipeline
        self.layout = layout
        self.hiddenEncoding = hiddenEncoding
        maxStepsInFlight = max(1, microBatches ?? pipeline.stages.count)
        instances = layout.stages.map(\.instanceID)
    }

    public func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration) {
        live[id] = sampling
        pendingNew.insert(id)
    }

    public func removeSequence(_ id: SequenceID) {
        guard live.removeValue(forKey: id) != nil else { return }
        computed.remove(id)
        suspect.remove(id)
        if pendingNew.remove(id) == nil { pendingRemoved.append(id) }  // else the last stage never heard of it
    }

    public func start(_ batch: ScheduledBatch, blockOffset: Int32) -> any StepInFlight {
        let deadline = pipeline.deadline
        let connections: [StageConnection]
        do {
            connections = try connectStages(deadline: deadline)
            for entry in batch.entries where suspect.contains(entry.sequenceID) {
                guard entry.startPosition == 0 else {
                    throw ClusterError.invalidStep("sequence \(entry.sequenceID) lost its KV cache in a stage failure")
                }
                suspect.remove(entry.sequenceID)
            }
        } catch {
            return CompletedStep(.failure(error))
        }
        let rows = batch.rows(blockOffset: blockOffset)
        var request = StepRequest(stepID: nextStep, input: .tokens(rows.tokens), positions: rows.positions,
                                  sequenceIndices: rows.sequenceIndices, blockTables: rows.blockTables,
                                  outputEncoding: hiddenEncoding)
        nextStep += 1
        var row = 0
        for entry in batch.entries {
            row += entry.tokens.count
            if entry.samplesNextToken { request.samples.append(StepRequest.Sample(row: row - 1, sequenceID: entry.sequenceID)) }
            if pendingNew.remove(entry.sequenceID) != nil, let sampling = live[entry.sequenceID] {
                request.newSequences.append(.init(id: entry.sequenceID, sampling: sampling))
            }
        }
        request.removedSequences = pendingRemoved
        pendingRemoved = []
        computed.formUnion(batch.entries.map(\.sequenceID))
        guard let eventLoop = connections.first?.eventLoop else {
            return CompletedStep(.failure(ClusterError.topology("a pipeline needs at least one worker")))
        }
        let outcome = StepRelay(request: request).run(through: pipeline.stages, on: connections, deadline: deadline, eventLoop: eventLoop)
        return Step(executor: self, removed: request.removedSequences, outcome: outcome)
    }

    /// A step on its way through the pipeline.
    private struct Step: StepInFlight {
        let executor: PipelineExecutor
        let removed: [SequenceID]
        let outcome: EventLoopFuture<StepRelay.Outcome>

        func wait() throws -> [SampledToken] {
            try executor.finish(Result { try outcome.wait() }, removed: removed)
        }
    }

    /// Records a step's outcome (on the engine thread). A failed step's removals are sent again
    /// and every computed sequence becomes suspect.
    private func finish(_ result: Result<StepRelay.Outcome, any Error>, removed: [SequenceID]) throws -> [SampledToken] {
        switch result {
        case let .success(outcome):
            traffic.record(outcome)
            return outcome.tokens
        case let .failure(error):
            suspect.formUnion(computed)
            pendingRemoved += removed
            throw error
        }
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
                    pendingNew = Set(live.keys)
                    pendingRemoved = []
                }
            }
            connections.append(connection)
        }
        return connections
    }
}
