import ArgumentParser
import Foundation
import StrataCatalog

/// `strata models pin set|remove|list`.
struct ModelsPinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Named pins: a team or deployment holding one exact version.",
        subcommands: [Set.self, Remove.self, List.self]
    )

    /// `strata models pin set PIN REF --owner TEAM`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Create a pin, or move one you own (audited).", aliases: ["create"]
        )

        @OptionGroup var catalogOptions: CatalogOptions

        @Argument(help: "The pin's name (not a model's name).")
        var pin: String

        @Argument(help: "The version to hold (any reference form; the pin keeps the exact version).")
        var reference: String

        @Option(name: .long, help: "The owning team or deployment.")
        var owner: String

        @Flag(name: .long, help: "Print JSON: the pin, its old version and the new one.")
        var json = false

        func run() throws {
            let catalog = try catalogOptions.open()
            let (old, new) = try catalogOperation { () throws(CatalogError) in
                let old = try catalog.setPin(pin, to: reference, owner: owner, actor: catalogOptions.resolvedActor)
                return (old, try catalog.resolve(pin).version)
            }
            if json {
                return try CatalogJSON.print([
                    "pin": pin, "owner": owner, "old": old?.reference ?? NSNull(), "new": CatalogJSON.version(new),
                ])
            }
            print("pin \(pin) (owner \(owner)): \(old?.reference ?? "(none)") -> \(new.reference)")
        }
    }

    /// `strata models pin remove PIN`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a pin (audited).")

        @OptionGroup var catalogOptions: CatalogOptions

        @Argument(help: "The pin's name.")
        var pin: String

        func run() throws {
            let catalog = try catalogOptions.open()
            let old = try catalogOperation { () throws(CatalogError) in
                try catalog.removePin(pin, actor: catalogOptions.resolvedActor)
            }
            print("pin \(pin): \(old.reference) -> (removed)")
        }
    }

    /// `strata models pin list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List pins.")

        @OptionGroup var catalogOptions: CatalogOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() throws {
            let catalog = try catalogOptions.open()
            let pins = try catalogOperation { () throws(CatalogError) in try catalog.pins() }
            if json { return try CatalogJSON.print(pins.map(CatalogJSON.pin)) }
            for pin in pins { print("\(pin.name)  owner \(pin.owner)  \(pin.version.reference)  (\(pin.version.label))") }
        }
    }
}
