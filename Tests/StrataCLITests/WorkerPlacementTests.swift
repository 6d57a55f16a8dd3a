import Foundation
import StrataTestSupport
import XCTest

/// `strata worker --topology FILE --stage N`: a worker takes its layers from a shared topology.
final class WorkerPlacementTests: XCTestCase {
    private var strata: StrataBinary!
    private var topologyPath = ""

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
        topologyPath = FileManager.default.temporaryDirectory.appendingPathComponent("strata-topology-\(getpid()).json").path
        try Data("""
            {"workers": [{"address": "127.0.0.1:7101", "layers": "0:9", "threads": 1},
                         {"address": "127.0.0.1:7102", "layers": "9:18", "threads": 1}]}
            """.utf8).write(to: URL(fileURLWithPath: topologyPath))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: topologyPath)
    }

    func testTheStageEntryGivesTheLayers() throws {
        let model = try TestResources.requireDefaultModel()
        let worker = try LaunchedWorker(
            ["--listen", "127.0.0.1:0", "--model", model, "--topology", topologyPath, "--stage", "1", "--ctx-size", "128", "--kv-cache-mb", "8"],
            environment: ["STRATA_CLUSTER_TOKEN": "placement"])
        defer {
            worker.process.terminate()
            worker.process.waitUntilExit()
        }
        XCTAssertTrue(worker.line.contains("layers 9:18 of 18"), worker.line)
    }

    func testPlacementsThatNameNoLayersOrTwoAreRefused() throws {
        let model = try TestResources.requireDefaultModel()
        for (arguments, message) in [
            ([String](), "give --layers, or --topology with --stage"),
            (["--topology", topologyPath], "--topology and --stage go together"),
            (["--stage", "0"], "--topology and --stage go together"),
            (["--layers", "0:9", "--topology", topologyPath, "--stage", "0"], "not both"),
            (["--topology", topologyPath, "--stage=-1"], "--stage must be 0 or more"),
            (["--topology", topologyPath, "--stage", "2"], "stage 2 is not in the topology (it has stages 0 to 1)"),
            (["--topology", "/nonexistent/topology.json", "--stage", "0"], "cannot read the topology file"),
        ] {
            let result = try strata.run(["worker", "--model", model, "--cluster-token", "t"] + arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
