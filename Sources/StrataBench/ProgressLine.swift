import Foundation

/// The live progress line: completed/total, request and token rates, errors, in flight.
/// Written to standard error with a carriage return, and only when standard error is a terminal.
public struct ProgressLine: Sendable {
    /// Whether the line is shown (standard error is a terminal).
    public let isEnabled: Bool

    /// A progress line, enabled when standard error is a TTY.
    public init(enabled: Bool = isatty(STDERR_FILENO) != 0) { isEnabled = enabled }

    /// The line's text for the given counts at `elapsed` seconds.
    public static func text(ended: Int, total: Int?, failed: Int, outputTokens: Int, inFlight: Int, elapsed: Double) -> String {
        let seconds = max(elapsed, 1e-9)
        let of = total.map { "/\($0)" } ?? ""
        return String(
            format: "%@%@ done  %.2f req/s  %.1f tok/s  %d errors  %d in flight  %.1f s",
            "\(ended)", of, Double(ended) / seconds, Double(outputTokens) / seconds, failed, inFlight, elapsed
        )
    }

    /// Redraws the line.
    public func draw(_ text: String) {
        guard isEnabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
    }

    /// Ends the line so later output starts on a fresh one.
    public func finish() {
        guard isEnabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
