import Foundation

/// A line chart as inline SVG (no scripts, fonts or external assets): axes with tick labels,
/// one polyline per series, and a legend.
public struct SVGChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// Points (x, y), drawn in order.
        public var points: [(x: Double, y: Double)]

        /// A series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// Chart title.
    public var title: String
    /// X axis label.
    public var xLabel: String
    /// Y axis label.
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// Draw markers at each point (for sparse data such as a sweep).
    public var markers = false

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// A chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series], markers: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.markers = markers
    }

    /// The `<svg>` element.
    public func svg(width: Double = 560, height: Double = 320) -> String {
        let left = 64.0, right = 16.0, top = 46.0, bottom = 48.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xMax = Self.niceCeiling(all.map(\.x).max() ?? 1), yMax = Self.niceCeiling(all.map(\.y).max() ?? 1)
        func px(_ x: Double) -> Double { left + plotWidth * x / xMax }
        func py(_ y: Double) -> Double { top + plotHeight * (1 - y / yMax) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        out += "<title>\(Self.escape(title))</title>"
        out += "<text x=\"\(Int(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(title))</text>"
        for tick in 0 ... 4 {
            let fraction = Double(tick) / 4
            let y = py(yMax * fraction), x = px(xMax * fraction)
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(yMax * fraction))</text>"
            out += "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.label(xMax * fraction))</text>"
        }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333\"/>"
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>"
        out += "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>"
        for (index, line) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }
            out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(points.joined(separator: " "))\"/>"
            if markers {
                for point in points {
                    let xy = point.split(separator: ",")
                    out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(color)\"/>"
                }
            }
            // Legend entries side by side in the top margin, clear of the lines.
            let legendX = left + Double(index) * 110
            out += "<rect x=\"\(f(legendX))\" y=\"\(f(top - 13))\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
            out += "<text x=\"\(f(legendX + 14))\" y=\"\(f(top - 9))\">\(Self.escape(line.name))</text>"
        }
        return out + "</svg>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The smallest of 1, 2, 2.5, 5 × 10^k not below `value` (1 for non-positive values).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value * (1 - 1e-12) { return step * magnitude }
        return 10 * magnitude
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }

    /// `text` with XML's special characters escaped.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
