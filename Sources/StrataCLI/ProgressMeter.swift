import Foundation

/// A progress line on standard error for long hashes: redrawn in place on a terminal, a line per
/// quarter otherwise. Files under `threshold` bytes show nothing.
final class ProgressMeter {
    static let threshold: Int64 = 64 << 20

    private let label: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastShown = -1

    init(label: String) { self.label = label }

    func update(done: Int64, total: Int64) {
        guard total >= Self.threshold else { return }
        let percent = Int(done * 100 / max(total, 1))
        let step = interactive ? percent : percent / 25 * 25
        guard step != lastShown else { return }
        lastShown = step
        let megabytes = Double(done) / 1_048_576
        let rate = megabytes / max(Date().timeIntervalSince(start), 0.001)
        let line = label + String(format: " %3d%%  %.0f / %.0f MiB  %.0f MiB/s", percent, megabytes,
                                  Double(total) / 1_048_576, rate)
        FileHandle.standardError.write(Data((interactive ? "\r" + line : line + "\n").utf8))
        if interactive, done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
