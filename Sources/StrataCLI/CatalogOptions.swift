import ArgumentParser
import Foundation
import StrataCatalog

/// Options every `strata models` subcommand takes: where the catalog is and who acts.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Catalog directory (default: $STRATA_CATALOG, else $XDG_DATA_HOME/strata or ~/.local/share/strata).",
        valueName: "path"
    ))
    var catalog: String?

    @Option(name: .long, help: "Who makes the change, for the audit log (default: $USER).")
    var actor: String?

    /// The actor recorded in the audit log.
    var resolvedActor: String {
        if let actor, !actor.isEmpty { return actor }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "uid \(getuid())"
    }

    /// Opens the catalog, creating and migrating it when needed.
    func open() throws -> Catalog {
        do {
            return try Catalog(directory: CatalogLocation.directory(explicit: catalog))
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// Runs a catalog operation, turning its typed error into a one-line command failure.
@discardableResult
func catalogOperation<T>(_ body: () throws(CatalogError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error)
    }
}
