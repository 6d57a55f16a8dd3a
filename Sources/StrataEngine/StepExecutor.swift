import StrataScheduling

/// Where an engine step's forward pass and token choice happen: in this process
/// (`LocalExecutor`), or across the stages of a pipeline. The engine loop owns scheduling and
/// output; an executor owns the model, the KV cache memory and each sequence's sampler, so
/// logits stay where they are computed.
///
/// An executor may run several steps at once (`maxStepsInFlight`, the micro-batches of a
/// pipeline): the engine then gives each micro-batch its own scheduler over a disjoint range of
/// the KV pool's block ids and starts one micro-batch's step while the others are in flight.
public protocol StepExecutor: AnyObject {
    /// Most steps the executor usefully runs at once; 1 (the default) runs them one after another.
    var maxStepsInFlight: Int { get }
    /// Registers a sequence's sampler before its first step.
    func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration)
    /// Forgets a finished or cancelled sequence.
    func removeSequence(_ id: SequenceID)
    /// Starts `batch`, whose block ids are offset by `blockOffset` in the executor's KV pool.
    /// The returned step gives the chosen token of each entry that samples, in
    /// `batch.samplingSequenceIDs` order; a thrown error (a stage failed) ends the batch's
    /// requests with `.failed`, and the engine goes on with the others.
    func start(_ batch: ScheduledBatch, blockOffset: Int32) -> any StepInFlight
}

/// A step started by a `StepExecutor`.
public protocol StepInFlight {
    /// Waits for the step; its sampled tokens, or the error that ended it. Called once, on the
    /// engine's thread.
    func wait() throws -> [SampledToken]
}

/// A step that ran while it was started.
public struct CompletedStep: StepInFlight {
    private let result: Result<[SampledToken], any Error>

    /// The step's outcome.
    public init(_ result: Result<[SampledToken], any Error>) { self.result = result }

    public func wait() throws -> [SampledToken] { try result.get() }
}

extension StepExecutor {
    public var maxStepsInFlight: Int { 1 }

    /// Runs `batch` (block ids as scheduled) and waits for its tokens.
    public func execute(_ batch: ScheduledBatch) throws -> [SampledToken] {
        try start(batch, blockOffset: 0).wait()
    }
}
