import ArgumentParser
import Foundation
import StrataCatalog
import StrataServer

/// What `strata serve` serves: one or more models (files or catalog references), the catalog
/// they come from, and the admin keys of the catalog's HTTP API.
struct ServeModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A GGUF file, or a catalog reference (NAME, NAME:ALIAS, NAME@sha256:DIGEST, a pin) when no such file exists; repeat to serve several versions (the first is the default). Default: the fetched default model.",
        valueName: "path-or-ref"))
    var model: [String] = []

    @OptionGroup var catalogLocation: CatalogLocationOption

    @Option(name: .long, help: ArgumentHelp(
        "KV cache budget in MiB of each served model: one value for all, or one per --model in order (default: 1024, less when that is more than --max-running contexts need).",
        valueName: "mib"))
    var kvCacheMb: [Int] = []

    @Option(name: .long, help: ArgumentHelp(
        "A named key of the admin API /admin/v1 (its name is the audit log's actor); repeatable.",
        valueName: "name=key"))
    var adminKey: [String] = []

    @Option(name: .long, help: ArgumentHelp("File of admin keys, one NAME=KEY per line ('#' comments).", valueName: "path"))
    var adminKeyFile: String?

    func validate() throws {
        guard kvCacheMb.count <= 1 || kvCacheMb.count == max(1, model.count) else {
            throw ValidationError("give one --kv-cache-mb for all models or one per --model (\(max(1, model.count)))")
        }
        if let bad = kvCacheMb.first(where: { $0 < 1 }) { throw ValidationError("--kv-cache-mb must be at least 1, got \(bad)") }
    }

    /// The models to serve, as given (the default model when none is).
    var values: [String] { model.isEmpty ? [DefaultModel.path] : model }

    /// The KV budget of the `index`-th model.
    func kvCacheMegabytes(at index: Int) -> Int? {
        kvCacheMb.count > 1 ? kvCacheMb[index] : kvCacheMb.first
    }

    /// The admin keys from `--admin-key` and `--admin-key-file`.
    func adminKeys() throws -> AdminKeys {
        var keys = AdminKeys()
        do {
            for entry in adminKey { try keys.add(entry) }
            if let adminKeyFile {
                let contents: String
                do { contents = try String(contentsOfFile: adminKeyFile, encoding: .utf8) } catch {
                    throw CommandFailure("cannot read --admin-key-file '\(adminKeyFile)': \(error.localizedDescription)")
                }
                try keys.add(fileContents: contents)
            }
        } catch let error as AdminKeyError {
            throw CommandFailure(error)
        }
        return keys
    }

    /// Resolves every `--model` once: files by path, the others against the catalog. The
    /// catalog is opened when a reference, `--catalog` or an admin key asks for it.
    func resolve(adminKeys: AdminKeys) throws -> (sources: [ModelSource], catalog: Catalog?) {
        var opened: Catalog?
        func catalog() throws -> Catalog {
            if let opened { return opened }
            let catalog = try catalogLocation.open()
            opened = catalog
            return catalog
        }
        let sources = try values.map { value in try ModelSource.resolve(value, catalog: catalog) }
        var seen: [String: String] = [:]
        for (value, source) in zip(values, sources) {
            let identity = source.version?.reference ?? URL(fileURLWithPath: source.path).standardizedFileURL.path
            if let earlier = seen.updateValue(value, forKey: identity) {
                throw CommandFailure("--model \(earlier) and --model \(value) are the same model (\(identity)); serve it once")
            }
        }
        if opened == nil, catalogLocation.catalog != nil || !adminKeys.isEmpty { _ = try catalog() }
        return (sources, opened)
    }
}
