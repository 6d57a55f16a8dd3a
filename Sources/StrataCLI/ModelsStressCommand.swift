import ArgumentParser
import Foundation
import StrataCatalog

/// `strata models stress-writes` (hidden): a loop of real catalog writes for the crash-safety
/// test, which kills it with SIGKILL at random moments and then checks the catalog.
///
/// Iteration `i` imports a distinct GGUF (the seed file plus a trailer naming `i`) as version
/// `s<i>` of model `stress` (hard-linked for even `i`, copied for odd `i`), points alias `stress:current` at it, then pin `stress-pin`. After
/// each committed step it prints `import i`, `alias i` or `pin i` on its own line.
struct ModelsStressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-writes", abstract: "Crash-safety test driver.", shouldDisplay: false
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .long, help: "A small GGUF file to derive distinct imports from.")
    var seed: String

    @Option(name: .long, help: "Directory for the generated files.")
    var work: String

    @Option(name: .long, help: "First iteration number.")
    var start = 0

    @Option(name: .long, help: "Number of iterations.")
    var count = 1000

    func run() throws {
        let catalog = try catalogOptions.open()
        let seedBytes: Data
        do { seedBytes = try Data(contentsOf: URL(fileURLWithPath: seed)) } catch { throw CommandFailure(error) }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for index in start ..< start + count {
            let file = work + "/stress-\(getpid())-\(index).gguf"
            do {
                try (seedBytes + Data("strata-stress-\(index)".utf8)).write(to: URL(fileURLWithPath: file))
            } catch {
                throw CommandFailure(error)
            }
            defer { unlink(file) }
            let reference = try catalogOperation { () throws(CatalogError) in
                try catalog.importModel(
                    path: file, name: "stress", label: "s\(index)", copy: index % 2 == 1, actor: "stress"
                ).version.reference
            }
            writeOut("import \(index)\n")
            try catalogOperation { () throws(CatalogError) in
                try catalog.setAlias("stress:current", to: reference, actor: "stress")
            }
            writeOut("alias \(index)\n")
            try catalogOperation { () throws(CatalogError) in
                try catalog.setPin("stress-pin", to: reference, owner: "stress", actor: "stress")
            }
            writeOut("pin \(index)\n")
        }
    }
}
