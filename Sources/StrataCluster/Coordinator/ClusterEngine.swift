import StrataEngine
import StrataScheduling
import StrataTokenizer

/// Builds the coordinator's engine over a pipeline.
public enum ClusterEngine {
    /// An engine whose steps run on `executor`, with `configuration`'s limits lowered to what the
    /// pipeline's workers offer (KV blocks: the fewest any stage holds).
    public static func make(
        executor: PipelineExecutor, tokenizer: any Tokenizer, configuration: EngineConfiguration
    ) throws(ClusterError) -> InferenceEngine {
        let layout = executor.layout
        var configuration = configuration
        configuration.blockSize = layout.blockSize
        configuration.maxBatchTokens = min(configuration.maxBatchTokens, layout.maxBatchTokens)
        configuration.maxRunning = min(configuration.maxRunning, layout.maxRunning)
        let context = min(configuration.contextLength ?? layout.contextLength, layout.contextLength)
        configuration.contextLength = context
        let schedulerConfig: SchedulerConfig
        do {
            schedulerConfig = try configuration.schedulerConfig(contextLength: context, blockCount: layout.blockCount)
        } catch {
            throw .configuration("\(error)")
        }
        return InferenceEngine(executor: executor, tokenizer: tokenizer, configuration: configuration,
                               schedulerConfig: schedulerConfig, vocabularySize: layout.vocabularySize)
    }
}
