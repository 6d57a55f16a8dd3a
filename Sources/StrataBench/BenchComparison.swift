import Foundation

/// `strata bench compare A.json B.json`: two reports side by side, with B/A ratios.
public struct BenchComparison: Sendable {
    /// The compared keys, in print order, and whether higher is better.
    public static let keys: [(key: String, higherIsBetter: Bool)] = {
        var keys: [(String, Bool)] = [
            ("completed", true), ("failed", false), ("duration", false), ("request_throughput", true),
            ("request_goodput", true), ("output_throughput", true), ("total_token_throughput", true),
        ]
        for stem in ["ttft", "tpot", "itl", "e2el"] {
            for stat in ["mean", "median", "p99"] { keys.append(("\(stat)_\(stem)_ms", false)) }
        }
        return keys
    }()

    /// One compared key.
    public struct Row: Sendable, Equatable {
        /// The JSON key.
        public var key: String
        /// A's value, if present.
        public var a: Double?
        /// B's value, if present.
        public var b: Double?
        /// B / A, when both are present and A is not 0.
        public var ratio: Double? { a.flatMap { a in b.flatMap { a != 0 ? $0 / a : nil } } }
    }

    /// The rows.
    public var rows: [Row]

    /// Compares two report objects.
    public init(a: [String: Any], b: [String: Any]) {
        rows = Self.keys.map { Row(key: $0.key, a: (a[$0.key] as? NSNumber)?.doubleValue, b: (b[$0.key] as? NSNumber)?.doubleValue) }
    }

    /// Reads a single-run report file.
    public static func load(_ path: String) throws(BenchError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .report(file: path, reason: "cannot read the file") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .report(file: path, reason: "not a JSON object")
        }
        guard object["completed"] is NSNumber, object["request_throughput"] is NSNumber else {
            throw .report(file: path, reason: "not a single-run `strata bench` report (a sweep file? compare its runs one by one)")
        }
        return object
    }

    /// The side-by-side table; `nameA`, `nameB` head the columns.
    public func text(nameA: String, nameB: String) -> String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        var lines = ["metric".padding(toLength: 26, withPad: " ", startingAt: 0) + pad(String(nameA.suffix(18)), 20)
            + pad(String(nameB.suffix(18)), 20) + pad("B/A", 10)]
        for row in rows {
            lines.append(row.key.padding(toLength: 26, withPad: " ", startingAt: 0) + pad(cell(row.a), 20) + pad(cell(row.b), 20)
                + pad(row.ratio.map { String(format: "%.3f", $0) } ?? "-", 10))
        }
        return lines.joined(separator: "\n")
    }
}
