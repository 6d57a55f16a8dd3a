/// Why the scheduler refused a request or a configuration.
public enum SchedulingError: Error, Equatable, Sendable {
    /// The waiting queue already holds `limit` requests.
    case queueFull(limit: Int)
    /// The prompt plus `maxTokens` exceeds the model's context length.
    case exceedsContextLength(promptTokens: Int, maxTokens: Int, contextLength: Int)
    /// Even alone, the request would need `requiredBlocks` KV blocks; the pool has `blockCount`.
    case exceedsCachePool(requiredBlocks: Int, blockCount: Int)
    /// The prompt has no tokens.
    case emptyPrompt
    /// `maxTokens` must be at least 1.
    case invalidMaxTokens(Int)
    /// A sequence with this id is already waiting or running.
    case duplicateID(Int)
    /// A configuration value is out of range; `name` is the field.
    case invalidConfiguration(name: String, value: Int)
}
