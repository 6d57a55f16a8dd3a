import Foundation
import Glibc
import StrataTestSupport
import XCTest

/// `cluster/up` and `cluster/down` as a user runs them, on a topology that leaves the layer
/// ranges to `strata cluster plan` (balanced by threads over the model).
final class ClusterUpTests: XCTestCase {
    private let greedy = #"{"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}"#
    private let golden = " the capital of the country of France."

    /// Runs a script of the checkout with `environment` added; its status and output. Spawned
    /// with posix_spawn and reaped with waitpid rather than through Foundation's `Process`,
    /// whose `waitUntilExit` also waits for the processes the script leaves running.
    private func script(_ name: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let path = TestResources.packageRoot.appendingPathComponent(name).path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("strata-script-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0)=\($1)" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw MissingTestResource(description: "cannot run \(name): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    func testUpServesABalancedTopologyAndDownStopsIt() throws {
        let model = try TestResources.requireDefaultModel()
        let strata = try StrataBinary.locate()
        let ports = [try FreePort.find(), try FreePort.find()]
        let topology = FileManager.default.temporaryDirectory.appendingPathComponent("strata-topology-\(UUID().uuidString).json")
        try #"{"workers": [{"address": "127.0.0.1:\#(ports[0])", "threads": 1}, {"address": "127.0.0.1:\#(ports[1])", "threads": 1}]}"#
            .write(to: topology, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: topology) }

        let plan = try strata.run(["cluster", "plan", "--topology", topology.path, "--model", model])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let lines = plan.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(lines.map { $0.first ?? "" }, ports.map { "127.0.0.1:\($0)" })
        let ranges = lines.map { $0[1] }
        XCTAssertEqual(ranges.first?.hasPrefix("0:"), true, plan.stdout)
        XCTAssertEqual(ranges.last?.hasSuffix(":18"), true, plan.stdout)

        let port = try FreePort.find()
        let environment = ["STRATA_MODEL": model, "STRATA_PORT": String(port), "STRATA_CLUSTER_TOKEN": "cluster-up-token",
                           "STRATA": strata.url.path]
        let up = try script("cluster/up", [topology.path], environment: environment)
        defer { _ = try? script("cluster/down", [], environment: environment) }
        XCTAssertEqual(up.status, 0, up.output)
        for range in ranges { XCTAssertTrue(up.output.contains("layers \(range) of 18"), up.output) }
        XCTAssertTrue(up.output.contains("listening on http://127.0.0.1:\(port)"), up.output)

        let answer = try runTool("/usr/bin/curl", ["-sS", "-H", "Content-Type: application/json", "-d", greedy,
                                                  "http://127.0.0.1:\(port)/v1/completions"])
        let object = try JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as? [String: Any]
        XCTAssertEqual(((object?["choices"] as? [[String: Any]])?.first)?["text"] as? String, golden, answer.output)

        let down = try script("cluster/down", [], environment: environment)
        XCTAssertEqual(down.status, 0, down.output)
        XCTAssertTrue(down.output.contains("cluster down (3 processes stopped)"), down.output)
        let refused = try runTool("/usr/bin/curl", ["-sS", "http://127.0.0.1:\(port)/health"])
        XCTAssertNotEqual(refused.status, 0, "the coordinator is gone")
    }
}
