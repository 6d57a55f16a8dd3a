import StrataScheduling

/// Where an engine step's forward pass and token choice happen: in this process
/// (`LocalExecutor`), or across the stages of a pipeline. The engine loop owns scheduling and
/// output; an executor owns the model, the KV cache memory and each sequence's sampler, so
/// logits stay where they are computed.
public protocol StepExecutor: AnyObject {
    /// Registers a sequence's sampler before its first step.
    func addSequence(_ id: SequenceID, sampling: SequenceSampler.Configuration)
    /// Forgets a finished or cancelled sequence.
    func removeSequence(_ id: SequenceID)
    /// Runs `batch` and returns the chosen token of each entry that samples, in
    /// `batch.samplingSequenceIDs` order. A thrown error (a stage failed) ends the batch's
    /// requests with `.failed`; the engine goes on with the others.
    func execute(_ batch: ScheduledBatch) throws -> [SampledToken]
}
