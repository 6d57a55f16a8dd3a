import ArgumentParser
import StrataCatalog

/// `strata models show REF`: everything about one version, retired ones included.
struct ModelsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one version: metadata, status, aliases and pins pointing at it."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "A reference: NAME, NAME:ALIAS, NAME@sha256:DIGEST or a pin name.")
    var reference: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let (resolution, pointers) = try catalogOperation { () throws(CatalogError) in
            let resolution = try catalog.lookup(reference)
            return (resolution, try catalog.pointers(to: resolution.version))
        }
        let version = resolution.version
        let blob = catalog.blobPath(digest: version.digest)
        if json {
            var object = CatalogJSON.version(version)
            object["aliases"] = pointers.aliases
            object["pins"] = pointers.pins.map(CatalogJSON.pin)
            object["route"] = resolution.route
            object["blob"] = blob ?? "removed"
            return try CatalogJSON.print(object)
        }
        var lines: [(String, String)] = [
            ("version", version.reference), ("label", version.label), ("route", resolution.route),
            ("status", version.status.rawValue),
        ]
        if let note = version.deprecationNote { lines.append(("deprecation", note)) }
        if let sunset = version.sunsetDate { lines.append(("sunset", sunset)) }
        lines += [
            ("size", "\(version.size) bytes"), ("architecture", version.architecture ?? "-"),
            ("parameters", "\(version.parameterCount)"), ("quantization", version.quantization ?? "-"),
            ("context length", version.contextLength.map(String.init) ?? "-"), ("tokenizer", version.tokenizer ?? "-"),
            ("chat template", version.hasChatTemplate ? "yes" : "no"), ("license", version.license ?? "-"),
            ("created", CatalogJSON.timestamp(version.createdAt)),
            ("aliases", pointers.aliases.isEmpty ? "-" : pointers.aliases.joined(separator: ", ")),
            ("pins", pointers.pins.isEmpty ? "-" : pointers.pins.map { "\($0.name) (owner \($0.owner))" }.joined(separator: ", ")),
            ("blob", blob ?? "removed"),
        ]
        for (key, value) in lines { print((key + ":").padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
    }
}
