import Foundation

/// The self-contained HTML report: the summary table, latency CDFs, throughput and concurrency
/// over time, and for a sweep the throughput–latency curve. Charts are inline SVG; there are no
/// scripts or external assets, so the file opens offline in any browser.
public enum HTMLReport {
    /// The report of one or more runs (more than one for a sweep, with `sweep` set).
    public static func html(results: [BenchResult], sweep: SweepSummary? = nil, title: String = "strata bench") -> String {
        var body = "<h1>\(SVGChart.escape(title))</h1>"
        if let first = results.first {
            body += "<p>\(SVGChart.escape(first.target.requestURL)) · model \(SVGChart.escape(first.target.model))</p>"
        }
        if let sweep, sweep.points.count > 1 {
            body += "<h2>Sweep</h2>"
            body += "<p>Knee (highest rate kept up with): \(sweep.knee.map { String(format: "%.2f req/s", $0) } ?? "not seen")</p>"
            body += SVGChart(
                title: "Throughput vs offered rate", xLabel: "offered rate (req/s)", yLabel: "req/s",
                series: [
                    .init(name: "achieved", points: sweep.points.map { ($0.rate, $0.requestThroughput) }),
                    .init(name: "offered", points: sweep.points.map { ($0.rate, $0.rate) }),
                ], markers: true
            ).svg()
            body += SVGChart(
                title: "Latency vs throughput", xLabel: "achieved throughput (req/s)", yLabel: "ms",
                series: [
                    .init(name: "p99 E2EL", points: sweep.points.map { ($0.requestThroughput, $0.p99E2elMs) }),
                    .init(name: "mean TTFT", points: sweep.points.map { ($0.requestThroughput, $0.meanTtftMs) }),
                ], markers: true
            ).svg()
        }
        for result in results { body += section(result) }
        return page(title: title, body: body)
    }

    /// A complete page around `body`, with the report's style sheet.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
        <style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.warn{color:#b00}.same{color:#070}.differs{color:#b00}
        .sides{display:grid;grid-template-columns:1fr 1fr;gap:24px}.sides>div{min-width:0}</style></head>
        <body>\(body)</body></html>

        """
    }

    /// One run's tables and charts, under `heading` (by default its request rate).
    static func section(_ result: BenchResult, heading: String? = nil) -> String {
        let m = result.metrics
        let rate = result.requestRate.map { String(format: "%.2f", $0) } ?? "inf"
        var out = "<h2>\(heading.map(SVGChart.escape) ?? "Request rate \(rate) req/s")</h2>"
        if let signal = result.interruption {
            out += "<p class=\"warn\">Interrupted by \(SVGChart.escape(signal)): no requests were sent after it; the figures cover what was sent before.</p>"
        }
        for warning in result.check.warnings { out += "<p class=\"warn\">Warning: \(SVGChart.escape(warning))</p>" }
        out += "<table><tr><th>metric</th><th>value</th></tr>"
        let rows: [(String, String)] = [
            ("completed", "\(m.completed)"), ("failed", "\(m.failed)"), ("duration (s)", String(format: "%.2f", m.duration)),
            ("request throughput (req/s)", String(format: "%.2f", m.requestThroughput)),
            ("request goodput (req/s)", m.requestGoodput.map { String(format: "%.2f", $0) } ?? "-"),
            ("output throughput (tok/s)", String(format: "%.2f", m.outputThroughput)),
            ("total token throughput (tok/s)", String(format: "%.2f", m.totalTokenThroughput)),
            ("load generator CPU (% of a core)", String(format: "%.1f", result.check.cpuPercent)),
        ] + m.failuresByKind.sorted { $0.key < $1.key }.map { ("errors: \($0.key.rawValue)", "\($0.value)") }
        for (label, value) in rows { out += "<tr><td>\(SVGChart.escape(label))</td><td>\(value)</td></tr>" }
        out += "</table><table><tr><th>ms</th><th>mean</th><th>median</th><th>p90</th><th>p95</th><th>p99</th></tr>"
        for (stem, _, path) in BenchReport.latencyMetrics {
            let s = m[keyPath: path]
            out += "<tr><td>\(stem.uppercased())</td>" + [s.mean, s.median, s.p90, s.p95, s.p99].map { String(format: "<td>%.2f</td>", $0) }.joined() + "</tr>"
        }
        out += "</table><div class=\"charts\">"
        let perRequest = result.records.map { RequestMetrics($0, streamed: result.target.stream) }.filter(\.succeeded)
        let cdfs: [(String, [Double])] = [
            ("TTFT", perRequest.compactMap(\.ttft)), ("TPOT", perRequest.compactMap(\.tpot)),
            ("ITL", perRequest.flatMap(\.itls)), ("E2EL", perRequest.compactMap(\.e2el)),
        ]
        out += SVGChart(
            title: "Latency CDFs", xLabel: "latency (ms)", yLabel: "fraction of values",
            series: cdfs.filter { !$0.1.isEmpty }.map { name, values in
                .init(name: name, points: LatencySummary.cdfPoints(seconds: values).map { ($0.ms, $0.fraction) })
            }
        ).svg()
        let width = m.series.bucketSeconds
        out += SVGChart(
            title: "Output throughput over time", xLabel: "time (s)", yLabel: "tokens/s",
            series: [.init(name: "output tok/s", points: m.series.outputTokensPerSecond.enumerated().map { (Double($0.offset) * width, $0.element) })]
        ).svg()
        out += SVGChart(
            title: "Concurrency over time", xLabel: "time (s)", yLabel: "requests in flight",
            series: [.init(name: "mean in flight", points: m.series.concurrency.enumerated().map { (Double($0.offset) * width, $0.element) })]
        ).svg()
        return out + "</div>"
    }
}
