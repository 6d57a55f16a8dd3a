import ArgumentParser
import Foundation
import StrataCatalog

/// `strata models import PATH --name N [--label L]`: adds a GGUF file as a version of a model.
struct ModelsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a GGUF file as a new, immutable version of a model.",
        aliases: ["add"]
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "The GGUF file.")
    var path: String

    @Option(name: .long, help: "The model's name (created if new).")
    var name: String

    @Option(name: .long, help: "The version's label (default: v<N>).")
    var label: String?

    @Flag(name: .long, help: "Move the model's 'latest' alias to this version (it is set anyway when the model has none).")
    var latest = false

    @Flag(name: .long, help: "Always copy the file into the store (by default it is hard-linked when possible).")
    var copy = false

    @Flag(name: .long, help: "Print the version as JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let meter = ProgressMeter(label: "sha256 \(path)")
        let started = Date()
        let result = try catalogOperation { () throws(CatalogError) in
            try catalog.importModel(
                path: path, name: name, label: label, moveLatest: latest, copy: copy, actor: catalogOptions.resolvedActor,
                progress: { meter.update(done: $0, total: $1) }
            )
        }
        if json {
            var object = CatalogJSON.version(result.version)
            object["created_now"] = result.created
            object["aliases_set"] = result.aliasesSet
            return try CatalogJSON.print(object)
        }
        let seconds = Date().timeIntervalSince(started)
        let megabytes = Double(result.version.size) / 1_048_576
        if result.created {
            print("imported \(result.version.reference) as \(result.version.modelName) \(result.version.label) "
                + String(format: "(%.1f MiB, ", megabytes) + (result.linked ? "hard link" : "copy")
                + String(format: ", %.2f s, %.0f MiB/s)", seconds, megabytes / max(seconds, 0.001)))
        } else {
            print("already imported: \(result.version.reference) (\(result.version.label))")
        }
        for alias in result.aliasesSet { print("\(alias) -> \(result.version.reference)") }
    }
}
