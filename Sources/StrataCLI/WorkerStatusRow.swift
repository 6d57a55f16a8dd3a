import Foundation
import StrataCluster

/// One line of `strata cluster status`: a worker's handshake and statistics, or why it could
/// not be reached.
struct WorkerStatusRow {
    let stage: Int
    let address: WorkerAddress
    var handshake: Handshake?
    var statistics: WorkerStatistics?
    var failure: ClusterError?

    init(stage: Int, address: WorkerAddress, handshake: Handshake, statistics: WorkerStatistics) {
        self.stage = stage
        self.address = address
        self.handshake = handshake
        self.statistics = statistics
    }

    init(stage: Int, address: WorkerAddress, failure: ClusterError) {
        self.stage = stage
        self.address = address
        self.failure = failure
    }

    static let header = ["STAGE", "ADDRESS", "LAYERS", "STATE", "STEPS", "FAILED", "COMPUTE P50/P99 MS", "RECEIVED", "SENT", "KV BLOCKS"]

    var cells: [String] {
        guard let handshake, let statistics else {
            return ["\(stage)", address.description, "-", "down", "-", "-", "-", "-", "-", "-"]
        }
        return [
            "\(stage)", address.description, "\(handshake.firstLayer):\(handshake.lastLayer)", "up",
            "\(statistics.steps)", "\(statistics.failedSteps)",
            String(format: "%.1f/%.1f", statistics.computeMedianMilliseconds, statistics.computeP99Milliseconds),
            Self.bytes(statistics.bytesReceived), Self.bytes(statistics.bytesSent),
            "\(handshake.blockCount) × \(handshake.blockSize)",
        ]
    }

    /// The rows under a header, in aligned columns, then one line per unreachable worker's reason.
    static func table(_ rows: [WorkerStatusRow]) -> String {
        let lines = [header] + rows.map(\.cells)
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        var text = lines.map { cells in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        for row in rows { if let failure = row.failure { text.append("stage \(row.stage): \(failure)") } }
        return text.joined(separator: "\n")
    }

    /// Bytes with a binary unit.
    static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
