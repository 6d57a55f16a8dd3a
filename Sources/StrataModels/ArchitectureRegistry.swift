import StrataGGUF

/// Maps `general.architecture` to the type that implements it.
public enum ArchitectureRegistry {
    /// Builds a model (or the stage of one holding `layers`) from an opened GGUF file.
    public typealias Loader = @Sendable (GGUFFile, LayerRange?) throws(ModelError) -> any LanguageModel

    /// The architectures Strata implements.
    public static let loaders: [String: Loader] = [
        "gemma3": { file, layers throws(ModelError) in try Gemma3Model(file: file, layers: layers) },
        "llama": { file, layers throws(ModelError) in try LlamaModel(file: file, layers: layers) },
        "qwen2": { file, layers throws(ModelError) in try Qwen2Model(file: file, layers: layers) },
    ]

    /// The names of the supported architectures, sorted.
    public static var supportedArchitectures: [String] { loaders.keys.sorted() }

    /// The architecture named in `file`'s metadata.
    public static func architecture(of file: GGUFFile) throws(ModelError) -> String {
        do {
            return try file.metadata.string("general.architecture")
        } catch {
            throw .metadata(error)
        }
    }

    /// Loads the model in `file`, holding `layers` (all when nil).
    /// Throws `unsupportedArchitecture` for architectures not in the registry.
    public static func load(_ file: GGUFFile, layers: LayerRange? = nil) throws(ModelError) -> any LanguageModel {
        let name = try architecture(of: file)
        guard let loader = loaders[name] else { throw .unsupportedArchitecture(name) }
        return try loader(file, layers)
    }

    /// The total number of layers of the model in `file`, read from `<architecture>.block_count`.
    public static func layerCount(of file: GGUFFile) throws(ModelError) -> Int {
        let name = try architecture(of: file)
        return try Hyperparameters(metadata: file.metadata, architecture: name).integer("block_count")
    }
}
