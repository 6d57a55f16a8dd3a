import ArgumentParser
import StrataBench

/// `strata bench compare A.json B.json`: two `--json` reports side by side, with B/A ratios.
struct BenchCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print two `strata bench --json` reports side by side with ratios (B/A)."
    )

    @Argument(help: "The baseline report (A).")
    var a: String

    @Argument(help: "The report compared with it (B).")
    var b: String

    func run() throws {
        do {
            let comparison = BenchComparison(a: try BenchComparison.load(a), b: try BenchComparison.load(b))
            print(comparison.text(nameA: a, nameB: b))
        } catch {
            throw CommandFailure(error)
        }
    }
}
