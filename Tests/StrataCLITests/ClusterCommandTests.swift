import Foundation
import StrataTestSupport
import XCTest

/// `strata worker` and `strata cluster status` as a user runs them.
final class ClusterCommandTests: XCTestCase {
    private var strata: StrataBinary!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
    }

    func testWorkerRefusesToStartWithoutATokenOrWithBadLayers() throws {
        let model = try TestResources.requireDefaultModel()
        let noToken = try strata.run(["worker", "--model", model, "--layers", "0:9"], environment: ["STRATA_CLUSTER_TOKEN": ""])
        XCTAssertEqual(noToken.status, 1)
        XCTAssertTrue(noToken.stderr.contains("cluster token"), noToken.stderr)
        for layers in ["9:3", "0:19", "x"] {
            let bad = try strata.run(["worker", "--model", model, "--layers", layers, "--cluster-token", "t"])
            XCTAssertEqual(bad.status, 1, layers)
            XCTAssertTrue(bad.stderr.hasPrefix("Error: "), bad.stderr)
        }
    }

    func testClusterStatusShowsAWorkerAndRefusesAWrongToken() throws {
        let model = try TestResources.requireDefaultModel()
        let worker = try LaunchedWorker(
            ["--listen", "127.0.0.1:0", "--model", model, "--layers", "0:", "--threads", "1", "--ctx-size", "128", "--kv-cache-mb", "8"],
            environment: ["STRATA_CLUSTER_TOKEN": "cli-token"])
        defer {
            worker.process.terminate()
            worker.process.waitUntilExit()
        }
        let address = worker.address
        XCTAssertTrue(worker.line.contains("layers 0:18 of 18"), worker.line)

        let status = try strata.run(["cluster", "status", "--model", model, "--worker", "http://\(address)", "--cluster-token", "cli-token"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("\(address)"), status.stdout)
        XCTAssertTrue(status.stdout.contains("0:18"), status.stdout)
        XCTAssertTrue(status.stdout.contains("pipeline ready"), status.stdout)
        let idle = try XCTUnwrap(status.stdout.split(separator: "\n").first { $0.contains(address) }, status.stdout)
        XCTAssertEqual(idle.split(separator: " ", omittingEmptySubsequences: true)[3...5], ["up", "0", "0"], status.stdout)

        // After real steps the worker reports them: steps, traffic, compute time.
        let bench = try strata.run(["batched-bench", "--model", model, "--worker", "http://\(address)", "--cluster-token",
                                    "cli-token", "--npp", "8", "--ntg", "4", "--npl", "1"])
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let busy = try strata.run(["cluster", "status", "--model", model, "--worker", "http://\(address)", "--cluster-token", "cli-token"])
        let row = try XCTUnwrap(busy.stdout.split(separator: "\n").first { $0.contains(address) }, busy.stdout)
        let cells = row.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertGreaterThanOrEqual(Int(cells[4]) ?? 0, 4, busy.stdout)
        XCTAssertEqual(cells[5], "0", busy.stdout)
        XCTAssertFalse(cells[6].hasPrefix("0.0/"), busy.stdout)

        // A worker that is not there: its row says down, the reason follows, the exit status is 1.
        let missing = "127.0.0.1:\(try FreePort.find())"
        let partial = try strata.run(["cluster", "status", "--model", model, "--worker", "http://\(address)",
                                      "--worker", "http://\(missing)", "--cluster-token", "cli-token"])
        XCTAssertEqual(partial.status, 1, partial.stdout)
        let down = try XCTUnwrap(partial.stdout.split(separator: "\n").first { $0.contains(missing) && !$0.hasPrefix("stage") })
        XCTAssertEqual(down.split(separator: " ", omittingEmptySubsequences: true)[2...3], ["-", "down"], partial.stdout)
        XCTAssertTrue(partial.stdout.contains("stage 2: "), partial.stdout)
        XCTAssertTrue(partial.stderr.contains("pipeline not ready"), partial.stderr)

        let refused = try strata.run(["cluster", "status", "--model", model, "--worker", address, "--cluster-token", "wrong"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("HTTP 401"), refused.stderr)
    }
}
