import ArgumentParser
import StrataCatalog

/// `strata models list`: every model, its versions and aliases.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List models with their versions and aliases."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let models = try catalogOperation { () throws(CatalogError) in try catalog.models() }
        if json {
            return try CatalogJSON.print(models.map { model in
                [
                    "name": model.name,
                    "versions": model.versions.map(CatalogJSON.version),
                    "aliases": Dictionary(uniqueKeysWithValues: model.aliases.map { ($0.name, $0.version.reference) }),
                ] as [String: Any]
            })
        }
        for model in models {
            print(model.name)
            for version in model.versions {
                let aliases = model.aliases.filter { $0.version.id == version.id }.map(\.name)
                let columns = [
                    "  " + version.label, "sha256:" + version.digest.prefix(12), version.quantization ?? "-",
                    version.architecture ?? "-", version.status.rawValue,
                ]
                print(columns.joined(separator: "  ") + (aliases.isEmpty ? "" : "  [" + aliases.joined(separator: ", ") + "]"))
            }
        }
    }
}
