/// Why a benchmark could not be set up or its inputs read. Failures of individual requests are
/// not errors of this kind: they are recorded per request as a `RequestFailure`.
public enum BenchError: Error, Equatable, CustomStringConvertible {
    /// An option's value is out of range or inconsistent with another option.
    case invalidOption(String)
    /// A dataset file could not be read or a line in it is malformed.
    case dataset(file: String, line: Int?, reason: String)
    /// No usable text was found to build prompts from.
    case noCorpusText(String)
    /// A report file could not be read or is not a `strata bench` JSON report.
    case report(file: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let reason):
            return reason
        case .dataset(let file, let line, let reason):
            return line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)"
        case .noCorpusText(let reason):
            return "no text to build prompts from: \(reason)"
        case .report(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
