import Foundation

extension HTMLReport {
    /// The report of `strata bench ab`: the two runs' key metrics side by side with B/A, their
    /// latency CDFs overlaid, whether each request's outputs agree (first diverging token,
    /// logprob drift), and each run's full tables and charts in two columns.
    public static func abHTML(a: BenchResult, b: BenchResult, nameA: String, nameB: String, agreement: OutputAgreement) -> String {
        let (labelA, labelB) = ("A: " + nameA, "B: " + nameB)
        var body = "<h1>strata bench ab</h1>"
        body += "<p>\(SVGChart.escape(a.target.requestURL)) · A = \(SVGChart.escape(nameA)) · B = \(SVGChart.escape(nameB))</p>"
        body += "<h2>Side by side</h2><table><tr><th>metric</th><th>\(SVGChart.escape(labelA))</th>"
            + "<th>\(SVGChart.escape(labelB))</th><th>B/A</th></tr>"
        func cell(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "-" }
        for row in BenchComparison(a: BenchReport.object(a), b: BenchReport.object(b)).rows {
            body += "<tr><td>\(row.key)</td><td>\(cell(row.a, "%.2f"))</td><td>\(cell(row.b, "%.2f"))</td>"
                + "<td>\(cell(row.ratio, "%.3f"))</td></tr>"
        }
        body += "</table><div class=\"charts\">"
        for (name, metric) in [("TTFT", \RequestMetrics.ttft), ("E2EL", \RequestMetrics.e2el)] {
            body += SVGChart(
                title: "\(name) CDF, A and B", xLabel: "latency (ms)", yLabel: "fraction of requests",
                series: [(labelA, a), (labelB, b)].compactMap { (label: String, result: BenchResult) -> SVGChart.Series? in
                    let values = result.records.map { RequestMetrics($0, streamed: result.target.stream) }
                        .filter(\.succeeded).compactMap { $0[keyPath: metric] }
                    guard !values.isEmpty else { return nil }
                    return .init(name: label, points: LatencySummary.cdfPoints(seconds: values).map { ($0.ms, $0.fraction) })
                }
            ).svg()
        }
        body += "</div>" + agreementSection(agreement)
        body += "<div class=\"sides\"><div>\(section(a, heading: labelA))</div><div>\(section(b, heading: labelB))</div></div>"
        return page(title: "strata bench ab: \(nameA) vs \(nameB)", body: body)
    }

    private static func agreementSection(_ agreement: OutputAgreement) -> String {
        var out = "<h2>Output agreement</h2>"
        out += "<p>Outputs identical: \(agreement.identical) of \(agreement.comparable) requests both models completed"
            + " · max logprob drift: \(agreement.maxLogprobDrift.map { String(format: "%.6f", $0) } ?? "-")</p>"
        out += "<table><tr><th>request</th><th>both succeeded</th><th>outputs</th><th>first diverging token</th>"
            + "<th>max logprob drift</th><th>mean logprob drift</th></tr>"
        for pair in agreement.pairs {
            let verdict = !pair.bothSucceeded ? "<td>-</td>"
                : pair.identical ? "<td class=\"same\">identical</td>" : "<td class=\"differs\">differ</td>"
            out += "<tr><td>\(pair.id)</td><td>\(pair.bothSucceeded ? "yes" : "no")</td>\(verdict)"
                + "<td>\(pair.firstDivergence.map(String.init) ?? "-")</td>"
                + "<td>\(pair.maxLogprobDrift.map { String(format: "%.6f", $0) } ?? "-")</td>"
                + "<td>\(pair.meanLogprobDrift.map { String(format: "%.6f", $0) } ?? "-")</td></tr>"
        }
        return out + "</table>"
    }
}
