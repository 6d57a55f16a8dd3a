import Foundation
import StrataCluster

/// One line on a pipeline's traffic: steps, bytes per step and transport time per hop.
struct PipelineReport: CustomStringConvertible {
    let traffic: PipelineExecutor.Traffic
    let stages: Int

    init(_ traffic: PipelineExecutor.Traffic, stages: Int) {
        self.traffic = traffic
        self.stages = stages
    }

    var description: String {
        let steps = max(traffic.steps, 1)
        let hops = traffic.hopNanoseconds.sorted()
        func percentile(_ p: Double) -> Double {
            hops.isEmpty ? 0 : Double(hops[min(hops.count - 1, Int(Double(hops.count) * p))]) / 1000
        }
        return String(format: "pipeline: %d stages, %d steps, %.0f bytes sent and %.0f received per step; "
            + "added time per hop (round trip minus compute) median %.0f µs, p99 %.0f µs over %d hops",
            stages, traffic.steps, Double(traffic.bytesSent) / Double(steps), Double(traffic.bytesReceived) / Double(steps),
            percentile(0.5), percentile(0.99), hops.count)
    }
}
