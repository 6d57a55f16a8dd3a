import Foundation
import StrataTestSupport
import XCTest

/// The cluster across a real (virtual) network: each of three workers in its own network
/// namespace, the coordinator in a fourth, joined to each worker by a veth pair (iproute2).
/// Requests are served across the links; then `tc netem` delays one link by 2 ms (when the
/// kernel has netem); then the link is cut (503) and restored (serving again). Needs root and
/// iproute2, as the issue allows; without them the test is skipped with the reason. With both,
/// a namespace or link that cannot be made fails the test.
final class ClusterNetworkTests: XCTestCase {
    private let token = "netns-cluster-token"
    private let greedy = #"{"prompt": "The capital of France is", "max_tokens": 8, "temperature": 0}"#
    private let golden = " the capital of the country of France."

    /// Namespaces and links made by one test run, removed by `tearDown`.
    private final class VirtualNetwork {
        let prefix = "s" + String(UInt32.random(in: 0 ... 0xFFFFF), radix: 16)
        private(set) var namespaces: [String] = []

        var coordinator: String { prefix + "-c" }
        func worker(_ stage: Int) -> String { prefix + "-w\(stage)" }
        /// The coordinator's end of the link to `stage` (interface names stay under 16 bytes).
        func coordinatorLink(_ stage: Int) -> String { prefix + "c\(stage)" }
        func workerAddress(_ stage: Int) -> String { "10.77.\(stage).2" }

        /// Makes the coordinator's namespace and one linked namespace per worker stage.
        func build(stages: Int) throws {
            try add(namespace: coordinator)
            for stage in 1 ... stages {
                try add(namespace: worker(stage))
                let workerEnd = prefix + "w\(stage)"
                try ip(["link", "add", coordinatorLink(stage), "netns", coordinator, "type", "veth",
                        "peer", "name", workerEnd, "netns", worker(stage)])
                try ip(["-n", coordinator, "addr", "add", "10.77.\(stage).1/30", "dev", coordinatorLink(stage)])
                try ip(["-n", worker(stage), "addr", "add", workerAddress(stage) + "/30", "dev", workerEnd])
                try ip(["-n", coordinator, "link", "set", coordinatorLink(stage), "up"])
                try ip(["-n", worker(stage), "link", "set", workerEnd, "up"])
            }
        }

        private func add(namespace: String) throws {
            try ip(["netns", "add", namespace])
            namespaces.append(namespace)
            try ip(["-n", namespace, "link", "set", "lo", "up"])
        }

        func ip(_ arguments: [String]) throws {
            let result = try runTool("/usr/sbin/ip", arguments)
            guard result.status == 0 else {
                throw MissingTestResource(description: "ip \(arguments.joined(separator: " ")): \(result.output)")
            }
        }

        /// Runs `command` inside `namespace`.
        func exec(in namespace: String, _ command: [String]) throws -> (status: Int32, output: String) {
            try runTool("/usr/sbin/ip", ["netns", "exec", namespace] + command)
        }

        func tearDown() {
            for namespace in namespaces.reversed() { _ = try? runTool("/usr/sbin/ip", ["netns", "del", namespace]) }
            namespaces = []
        }
    }

    private var network: VirtualNetwork?
    private var workers: [Process] = []

    override func tearDown() {
        for worker in workers where worker.isRunning {
            worker.terminate()
            worker.waitUntilExit()
        }
        network?.tearDown()
        super.tearDown()
    }

    private func makeNetwork(stages: Int) throws -> VirtualNetwork {
        guard getuid() == 0 else { throw XCTSkip("needs root to make network namespaces (running as uid \(getuid()))") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else {
            throw XCTSkip("needs iproute2's ip (/usr/sbin/ip)")
        }
        let network = VirtualNetwork()
        self.network = network
        try network.build(stages: stages)
        return network
    }

    /// Starts the worker of `stage` inside its namespace, listening on its link's address.
    private func startWorker(_ network: VirtualNetwork, stage: Int, layers: String) throws {
        let worker = try LaunchedWorker(
            ["--listen", network.workerAddress(stage) + ":7100", "--model", try TestResources.requireDefaultModel(),
             "--layers", layers, "--threads", "1", "--ctx-size", "256", "--kv-cache-mb", "16", "--cluster-token", token],
            launcher: ["/usr/sbin/ip", "netns", "exec", network.worker(stage)])
        workers.append(worker.process)
    }

    /// An HTTP request from inside the coordinator's namespace: the body and the status code.
    private func request(_ network: VirtualNetwork, _ server: ServeProcess, body: String) throws -> (body: String, status: String) {
        let result = try network.exec(in: network.coordinator, [
            "/usr/bin/curl", "-sS", "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "-d", body,
            server.baseURL + "/v1/completions",
        ])
        let status = result.output.split(separator: "\n").last.map(String.init) ?? ""
        return (String(result.output.dropLast(status.count + 1)), status)
    }

    private func completionText(_ json: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return ((object?["choices"] as? [[String: Any]])?.first)?["text"] as? String
    }

    private func waitForReady(_ network: VirtualNetwork, _ server: ServeProcess, status expected: String) throws -> Bool {
        for _ in 0 ..< 600 {
            let result = try network.exec(in: network.coordinator, [
                "/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + "/ready",
            ])
            if result.output == expected { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func testThreeWorkersInTheirOwnNamespacesServeThroughDelayAndALinkCut() throws {
        let network = try makeNetwork(stages: 3)
        for (stage, layers) in [(1, "0:6"), (2, "6:12"), (3, "12:18")] {
            try startWorker(network, stage: stage, layers: layers)
        }
        let server = try ServeProcess(
            binary: try StrataBinary.locate(),
            arguments: ["--model", try TestResources.requireDefaultModel(), "--cluster-token", token, "--step-timeout", "3"]
                + (1 ... 3).flatMap { ["--worker", "http://\(network.workerAddress($0)):7100"] },
            launcher: ["/usr/sbin/ip", "netns", "exec", network.coordinator])
        XCTAssertTrue(try waitForReady(network, server, status: "200"), server.log)
        var answer = try request(network, server, body: greedy)
        XCTAssertEqual(answer.status, "200", answer.body)
        XCTAssertEqual(completionText(answer.body), golden)

        // 2 ms each way on the link to the middle stage: slower, the same tokens.
        let delay = try network.exec(in: network.coordinator, [
            "/usr/sbin/tc", "qdisc", "add", "dev", network.coordinatorLink(2), "root", "netem", "delay", "2ms",
        ])
        if delay.status == 0 {
            answer = try request(network, server, body: greedy)
            XCTAssertEqual(answer.status, "200", answer.body)
            XCTAssertEqual(completionText(answer.body), golden, "the same output over a delayed link")
        } else {
            print("ClusterNetworkTests: the 2 ms netem delay is not tested, tc failed: "
                + delay.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        // Cut the link: the step misses its deadline or cannot be sent; the request is a 503.
        try network.ip(["-n", network.coordinator, "link", "set", network.coordinatorLink(2), "down"])
        answer = try request(network, server, body: greedy)
        XCTAssertEqual(answer.status, "503", answer.body)
        XCTAssertTrue(try waitForReady(network, server, status: "503"), "not ready while a link is down")

        // Restore it: the coordinator reconnects and serves the same output again.
        try network.ip(["-n", network.coordinator, "link", "set", network.coordinatorLink(2), "up"])
        XCTAssertTrue(try waitForReady(network, server, status: "200"), server.log)
        answer = try request(network, server, body: greedy)
        XCTAssertEqual(answer.status, "200", answer.body)
        XCTAssertEqual(completionText(answer.body), golden)
        XCTAssertEqual(server.terminate(), 0, server.log)
    }
}
