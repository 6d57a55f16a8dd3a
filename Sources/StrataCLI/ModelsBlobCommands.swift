import ArgumentParser
import StrataCatalog

/// `strata models gc`: removes unreferenced blobs and leftovers of dead imports.
struct ModelsGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove blobs no version references and temporary files of dead imports."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try catalogOptions.open()
        let report = try catalogOperation { () throws(CatalogError) in
            try catalog.collectGarbage(actor: catalogOptions.resolvedActor)
        }
        for digest in report.blobs { print("removed blob sha256:\(digest)") }
        for name in report.temporaryFiles { print("removed temporary file \(name)") }
        print("freed \(report.bytes) bytes")
    }
}

/// `strata models remove-blob DIGEST`: frees the file of a retired version.
struct ModelsRemoveBlobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-blob",
        abstract: "Remove a blob. Refused while a version that is not retired references it."
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: "The blob's full digest, sha256:HEX or HEX.")
    var digest: String

    func run() throws {
        let catalog = try catalogOptions.open()
        try catalogOperation { () throws(CatalogError) in
            try catalog.removeBlob(digest, actor: catalogOptions.resolvedActor)
        }
        print("removed blob \(digest.hasPrefix("sha256:") ? digest : "sha256:" + digest)")
    }
}
