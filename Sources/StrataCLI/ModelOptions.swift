import ArgumentParser
import Foundation
import StrataCatalog

/// Options shared by every command that loads a model: a path or a catalog reference.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A GGUF file, or a catalog reference (NAME, NAME:ALIAS, NAME@sha256:DIGEST, a pin) when no such file exists (default: the fetched default model).",
        valueName: "path-or-ref"))
    var model: String?

    @OptionGroup var catalogLocation: CatalogLocationOption

    /// The model file: `--model` (a file, else a catalog reference resolved to its blob), else
    /// `$STRATA_MODEL`, else the default model in the per-user cache.
    func resolve() throws -> ModelSource {
        try ModelSource.resolve(model ?? DefaultModel.path, catalog: catalogLocation.open)
    }
}

/// `--catalog PATH`, for commands that resolve catalog references.
struct CatalogLocationOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Catalog directory for references (default: $STRATA_CATALOG, else $XDG_DATA_HOME/strata or ~/.local/share/strata).",
        valueName: "path"))
    var catalog: String?

    /// Opens the catalog, creating and migrating it when needed.
    func open() throws -> Catalog {
        do {
            return try Catalog(directory: CatalogLocation.directory(explicit: catalog))
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// Where a model comes from: a file given by path, or a catalog version (its blob).
enum ModelSource {
    case path(String)
    case catalog(reference: String, version: ModelVersion, path: String)

    /// The file to load.
    var path: String {
        switch self {
        case let .path(path): path
        case let .catalog(_, _, path): path
        }
    }

    /// The catalog version, if any.
    var version: ModelVersion? {
        if case let .catalog(_, version, _) = self { return version }
        return nil
    }

    /// `value` as a path when a file exists there, else as a catalog reference resolved (once)
    /// against the catalog `openCatalog` opens. Retired versions and missing blobs are refused.
    static func resolve(_ value: String, catalog openCatalog: () throws -> Catalog) throws -> ModelSource {
        if FileManager.default.fileExists(atPath: value) { return .path(value) }
        do {
            _ = try ModelReference(parsing: value)
        } catch {
            throw CommandFailure("'\(value)' is neither a file nor a catalog reference (\(error))")
        }
        let catalog = try openCatalog()
        let version = try catalogOperation { () throws(CatalogError) in try catalog.resolve(value).version }
        guard let path = catalog.blobPath(digest: version.digest) else {
            throw CommandFailure("\(version.shortName) is in the catalog but its blob sha256:\(version.digest) is missing")
        }
        return .catalog(reference: value, version: version, path: path)
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
