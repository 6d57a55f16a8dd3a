import XCTest
@testable import StrataCluster

/// A worker picks its entry of a shared topology by stage number.
final class TopologyStageTests: XCTestCase {
    private let json = Data("""
        {"workers": [{"address": "strata-worker-0.strata-worker:7101", "layers": "0:9", "threads": 2},
                     {"address": "strata-worker-1.strata-worker:7101", "layers": "9:"}]}
        """.utf8)

    func testStagesCountFromZeroInPipelineOrder() throws {
        let topology = try Topology(json: json)
        let first = try topology.stage(0)
        XCTAssertEqual(first.address, WorkerAddress(host: "strata-worker-0.strata-worker", port: 7101))
        XCTAssertEqual(first.firstLayer, 0)
        XCTAssertEqual(first.lastLayer, 9)
        XCTAssertEqual(first.threads, 2)
        let last = try topology.stage(1)
        XCTAssertEqual(last.firstLayer, 9)
        XCTAssertNil(last.lastLayer)
        XCTAssertNil(last.threads)
    }

    func testAStageOutsideTheTopologyIsAnError() throws {
        let topology = try Topology(json: json)
        for index in [-1, 2, 100] {
            XCTAssertThrowsError(try topology.stage(index)) { error in
                XCTAssertEqual(error as? ClusterError, .configuration("stage \(index) is not in the topology (it has stages 0 to 1)"))
            }
        }
    }
}
