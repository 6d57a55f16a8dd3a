import ArgumentParser
import Foundation
import StrataCatalog

/// `strata models alias set|remove`.
struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Point a movable alias NAME:ALIAS at a version, or remove it.",
        subcommands: [Set.self, Remove.self]
    )

    /// `strata models alias set NAME:ALIAS REF`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Create or move an alias (atomic, audited)."
        )

        @OptionGroup var catalogOptions: CatalogOptions

        @Argument(help: "The alias, NAME:ALIAS.")
        var alias: String

        @Argument(help: "The version to point at (any reference form).")
        var reference: String

        @Flag(name: .long, help: "Print JSON: the alias, its old target and the new version.")
        var json = false

        func run() throws {
            let catalog = try catalogOptions.open()
            let (old, new) = try catalogOperation { () throws(CatalogError) in
                let old = try catalog.setAlias(alias, to: reference, actor: catalogOptions.resolvedActor)
                return (old, try catalog.resolve(alias).version)
            }
            if json {
                return try CatalogJSON.print(["alias": alias, "old": old?.reference ?? NSNull(), "new": CatalogJSON.version(new)])
            }
            print("\(alias): \(old?.reference ?? "(none)") -> \(new.reference)")
        }
    }

    /// `strata models alias remove NAME:ALIAS`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an alias (audited).")

        @OptionGroup var catalogOptions: CatalogOptions

        @Argument(help: "The alias, NAME:ALIAS.")
        var alias: String

        func run() throws {
            let catalog = try catalogOptions.open()
            let old = try catalogOperation { () throws(CatalogError) in
                try catalog.removeAlias(alias, actor: catalogOptions.resolvedActor)
            }
            print("\(alias): \(old.reference) -> (removed)")
        }
    }
}
