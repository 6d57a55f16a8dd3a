import StrataGGUF
import StrataModels
import StrataTokenizer

/// A GGUF file opened for a command: its tokenizer and, when asked, its model.
struct LoadedModel {
    let path: String
    let file: GGUFFile
    let tokenizer: any Tokenizer

    /// Opens `path` and builds its tokenizer (cheap: the weights stay mapped, untouched).
    init(path: String) throws(CommandFailure) {
        self.path = path
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw CommandFailure("\(error)")
        }
        do {
            tokenizer = try makeTokenizer(metadata: file.metadata)
        } catch {
            throw CommandFailure("cannot build the tokenizer of '\(path)': \(error)")
        }
    }

    /// Loads the model's weights (all layers).
    func loadModel() throws(CommandFailure) -> any LanguageModel {
        do {
            return try ArchitectureRegistry.load(file)
        } catch {
            throw CommandFailure("cannot load '\(path)': \(error)")
        }
    }
}
