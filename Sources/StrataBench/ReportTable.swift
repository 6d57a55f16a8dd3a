import Foundation

/// The text table printed at the end of a run, laid out like vLLM's.
public enum ReportTable {
    /// The table for `result`.
    public static func text(_ result: BenchResult) -> String {
        let m = result.metrics
        var lines = [heading("Serving Benchmark Result", fill: "=")]
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 40, withPad: " ", startingAt: 0) + " " + value) }
        func number(_ value: Double) -> String { String(format: "%.2f", value) }
        if let signal = result.interruption { row("Interrupted:", "by \(signal); no requests sent after it") }
        row("Successful requests:", "\(m.completed)")
        row("Failed requests:", "\(m.failed)")
        for (kind, count) in m.failuresByKind.sorted(by: { $0.key < $1.key }) { row("  \(kind.rawValue):", "\(count)") }
        row("Request rate (req/s):", result.requestRate.map(number) ?? "inf")
        row("Maximum concurrency:", result.maxConcurrency.map(String.init) ?? "none")
        row("Benchmark duration (s):", number(m.duration))
        row("Total input tokens:", "\(m.totalInputTokens)" + sourceNote(m.inputTokensFromUsage, m.completed, counted: "estimated"))
        row("Total generated tokens:", "\(m.totalOutputTokens)" + sourceNote(m.outputTokensFromUsage, m.completed, counted: "counted from chunks"))
        row("Request throughput (req/s):", number(m.requestThroughput))
        if let goodput = m.requestGoodput { row("Request goodput (req/s):", number(goodput)) }
        row("Output token throughput (tok/s):", number(m.outputThroughput))
        row("Peak output token throughput (tok/s):", number(m.maxOutputTokensPerSecond))
        row("Peak concurrent requests:", "\(m.maxConcurrentRequests)")
        row("Total token throughput (tok/s):", number(m.totalTokenThroughput))
        for (stem, label, path) in BenchReport.latencyMetrics {
            let summary = m[keyPath: path]
            let name = stem.uppercased()
            lines.append(heading(label, fill: "-"))
            row("Mean \(name) (ms):", number(summary.mean))
            row("Median \(name) (ms):", number(summary.median))
            row("P90 \(name) (ms):", number(summary.p90))
            row("P99 \(name) (ms):", number(summary.p99))
        }
        lines.append(heading("Load generator", fill: "-"))
        row("CPU use (% of a core):", String(format: "%.1f", result.check.cpuPercent))
        row("Late starts (> 10 ms):", "\(result.check.lateCount)")
        lines.append(String(repeating: "=", count: 50))
        return lines.joined(separator: "\n")
    }

    private static func sourceNote(_ fromUsage: Int, _ total: Int, counted: String) -> String {
        fromUsage == total ? "" : fromUsage == 0 ? " (\(counted))" : " (\(total - fromUsage) of \(total) \(counted))"
    }

    private static func heading(_ title: String, fill: Character) -> String {
        let side = max(1, (50 - title.count - 2) / 2)
        let line = String(repeating: fill, count: side) + " " + title + " " + String(repeating: fill, count: side)
        return line.count < 50 ? line + String(fill) : line
    }
}
