import ArgumentParser
import StrataCatalog

/// `strata models resolve REF`: the exact version a reference serves now.
struct ModelsResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Print the exact version (NAME@sha256:DIGEST) a reference resolves to."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "A reference: NAME, NAME:ALIAS, NAME@sha256:DIGEST or a pin name.")
    var reference: String

    @Flag(name: .long, help: "Print JSON (the version, the route taken and the blob path).")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let resolution = try catalogOperation { () throws(CatalogError) in try catalog.resolve(reference) }
        if json {
            var object = CatalogJSON.version(resolution.version)
            object["route"] = resolution.route
            object["blob"] = catalog.blobPath(digest: resolution.version.digest) ?? "removed"
            return try CatalogJSON.print(object)
        }
        print(resolution.version.reference)
    }
}
