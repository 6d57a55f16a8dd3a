import Foundation
import StrataGGUF
import StrataTestSupport
import Testing
@testable import StrataCluster

/// Topology files: explicit layer ranges, ranges balanced over the model, and the refusals.
@Suite struct TopologyTests {
    private func topology(_ json: String, model: GGUFFile? = nil) throws -> Topology {
        try Topology(json: Data(json.utf8), model: model)
    }

    @Test func explicitRangesAreKeptAsWritten() throws {
        let plan = try topology(#"{"workers": [{"address": "127.0.0.1:7101", "layers": "0:9", "threads": 2}, {"address": "10.0.0.2:7102", "layers": "9:"}]}"#)
        #expect(plan.workers.map(\.firstLayer) == [0, 9])
        #expect(plan.workers.map(\.lastLayer) == [9, nil])
        #expect(plan.workers.map(\.threads) == [2, nil])
        #expect(plan.workers[1].address.description == "10.0.0.2:7102")
    }

    @Test func rangesAreBalancedOverTheModelWhenNoneAreGiven() throws {
        let model = try GGUFFile(path: try TestResources.requireDefaultModel())
        let json = #"{"workers": [{"address": "127.0.0.1:7101", "threads": 2}, {"address": "127.0.0.1:7102"}]}"#
        let plan = try topology(json, model: model)
        let expected = try LayerBalancer.ranges(for: model, capacities: [2, 1])
        #expect(plan.workers.map { $0.firstLayer ..< ($0.lastLayer ?? -1) } == expected)
        #expect(plan.workers.first?.firstLayer == 0 && plan.workers.last?.lastLayer == 18)
    }

    @Test func refusesMixedRangesMissingModelsAndBadEntries() throws {
        let mixed = #"{"workers": [{"address": "127.0.0.1:1", "layers": "0:9"}, {"address": "127.0.0.1:2"}]}"#
        #expect(throws: ClusterError.self) { try topology(mixed) }
        #expect(throws: ClusterError.self) { try topology(#"{"workers": [{"address": "127.0.0.1:1"}]}"#) }
        #expect(throws: ClusterError.self) { try topology(#"{"workers": []}"#) }
        #expect(throws: ClusterError.self) { try topology(#"{"workers": [{"address": "127.0.0.1:1", "layers": "0:9", "threads": 0}]}"#) }
        #expect(throws: ClusterError.self) { try topology(#"{"workers": [{"address": "127.0.0.1:1", "layers": "9:3"}]}"#) }
        #expect(throws: ClusterError.self) { try topology("not json") }
    }
}
