import ArgumentParser
import StrataCatalog

/// `strata models audit [NAME]`: the change log.
struct ModelsAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print the audit log (every change: what, old -> new, when, who).",
        aliases: ["history"]
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "Only changes concerning this model.")
    var model: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let catalog = try catalogOptions.open()
        let entries = try catalogOperation { () throws(CatalogError) in try catalog.auditLog(model: model) }
        if json { return try CatalogJSON.print(entries.map(CatalogJSON.audit)) }
        for entry in entries {
            print("\(CatalogJSON.timestamp(entry.at))  \(entry.actor)  \(entry.action)  \(entry.subject)  "
                + "\(entry.old ?? "-") -> \(entry.new ?? "-")")
        }
    }
}
