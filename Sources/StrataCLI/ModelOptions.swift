import ArgumentParser
import Foundation

/// Options shared by every command that loads a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Path of a GGUF model file (default: the fetched default model).")
    var model: String?

    /// The model path: `--model`, else `$STRATA_MODEL`, else the default model in the per-user cache.
    var resolvedPath: String {
        if let model { return model }
        return DefaultModel.path
    }
}

/// Where `make` keeps the default model (Gemma 3 270M, Q4_K_M).
enum DefaultModel {
    static let fileName = "gemma-3-270m-q4_k_m.gguf"

    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["STRATA_MODEL"], !explicit.isEmpty { return explicit }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache")
        return cache + "/strata/models/" + fileName
    }
}

/// Options for commands that run the model.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: "Compute threads (default: all cores).")
    var threads: Int?

    var resolvedThreads: Int { max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}
