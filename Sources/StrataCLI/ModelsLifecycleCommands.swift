import ArgumentParser
import StrataCatalog

/// `strata models deprecate REF --note TEXT [--sunset DATE]`.
struct ModelsDeprecateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deprecate", abstract: "Mark a version deprecated (it keeps serving)."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "The version (any reference form).")
    var reference: String

    @Option(name: .long, help: "Why, and what to move to.")
    var note: String

    @Option(name: .long, help: "Planned retirement day, YYYY-MM-DD (informative; nothing retires by itself).")
    var sunset: String?

    @Flag(name: .long, help: "Print the version as JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let version = try catalogOperation { () throws(CatalogError) in
            try catalog.deprecate(reference, note: note, sunset: sunset, actor: catalogOptions.resolvedActor)
        }
        if json { return try CatalogJSON.print(CatalogJSON.version(version)) }
        print("deprecated \(version.reference) (\(version.label)): \(note)" + (sunset.map { ", sunset \($0)" } ?? ""))
    }
}

/// `strata models retire REF`.
struct ModelsRetireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire",
        abstract: "Retire a version: it stops resolving. Refused while aliases or pins point at it or a server has it loaded."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "The version, usually NAME@sha256:DIGEST.")
    var reference: String

    @Flag(name: .long, help: "Print the version as JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let version = try catalogOperation { () throws(CatalogError) in
            try catalog.retire(reference, actor: catalogOptions.resolvedActor)
        }
        if json { return try CatalogJSON.print(CatalogJSON.version(version)) }
        print("retired \(version.reference) (\(version.label))")
    }
}
