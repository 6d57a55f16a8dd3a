import XCTest
@testable import StrataCluster

/// Tokens, addresses, layer ranges and pipeline layouts, without sockets.
final class ClusterConfigurationTests: XCTestCase {
    func testTokenAcceptsOnlyTheExactBearerValue() throws {
        let token = try ClusterToken("s3cret")
        XCTAssertTrue(token.accepts(header: "Bearer s3cret"))
        for wrong in [nil, "", "s3cret", "Bearer s3cre", "Bearer s3cret!", "Bearer S3cret", "Basic s3cret"] {
            XCTAssertFalse(token.accepts(header: wrong), "\(wrong ?? "nil")")
        }
        XCTAssertThrowsError(try ClusterToken("  \n"))
    }

    func testTokenSourcesInOrderFlagFileEnvironment() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("strata-token-\(getpid())")
        try "from-file\nignored\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let env = ["STRATA_CLUSTER_TOKEN": "from-env"]
        XCTAssertTrue(try ClusterToken.resolve(value: "flag", file: file.path, environment: env).accepts(header: "Bearer flag"))
        XCTAssertTrue(try ClusterToken.resolve(value: nil, file: file.path, environment: env).accepts(header: "Bearer from-file"))
        XCTAssertTrue(try ClusterToken.resolve(value: nil, file: nil, environment: env).accepts(header: "Bearer from-env"))
        XCTAssertThrowsError(try ClusterToken.resolve(value: nil, file: nil, environment: [:]))
        XCTAssertThrowsError(try ClusterToken.resolve(value: nil, file: "/nonexistent/token", environment: env))
    }

    func testAddressesAndLayerRangesParse() throws {
        XCTAssertEqual(try WorkerAddress(parsing: "127.0.0.1:7101"), WorkerAddress(host: "127.0.0.1", port: 7101))
        XCTAssertEqual(try WorkerAddress(parsing: "http://10.0.0.2:80/"), WorkerAddress(host: "10.0.0.2", port: 80))
        XCTAssertEqual(try WorkerAddress(parsing: "[::1]:9"), WorkerAddress(host: "::1", port: 9))
        for bad in ["", "host", ":80", "host:", "host:99999", "host:x"] {
            XCTAssertThrowsError(try WorkerAddress(parsing: bad), bad)
        }
        XCTAssertTrue(try WorkerStage.parseLayers("0:9") == (0, 9))
        XCTAssertTrue(try WorkerStage.parseLayers("9:") == (9, nil))
        for bad in ["9", "9:9", "9:3", "-1:3", "a:b"] { XCTAssertThrowsError(try WorkerStage.parseLayers(bad), bad) }
    }

    private func stage(_ first: Int, _ last: Int, blocks: Int = 100, digest: UInt8 = 1) -> Handshake {
        Handshake(modelDigest: Array(repeating: digest, count: 32), firstLayer: first, lastLayer: last, layerCount: 18,
                  blockCount: blocks, blockSize: 16, maxBatchTokens: 512, contextLength: 2048, maxRunning: 32,
                  embeddingWidth: 640, vocabularySize: 1000, instanceID: 1)
    }

    func testLayoutNeedsStagesTilingTheLayersInOrder() throws {
        let digest = Array(repeating: UInt8(1), count: 32)
        let layout = try PipelineLayout(stages: [stage(0, 6, blocks: 300), stage(6, 12, blocks: 120), stage(12, 18)], modelDigest: digest)
        XCTAssertEqual(layout.blockCount, 100)
        for (stages, fragment) in [
            ([stage(0, 6), stage(7, 18)], "layer 6 is next"),
            ([stage(0, 9), stage(6, 18)], "layer 9 is next"),
            ([stage(0, 9), stage(9, 17)], "end at layer 17"),
            ([stage(6, 18), stage(0, 6)], "layer 0 is next"),
            ([stage(0, 18, digest: 2)], "serves model"),
            ([], "at least one"),
        ] as [([Handshake], String)] {
            XCTAssertThrowsError(try PipelineLayout(stages: stages, modelDigest: digest)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }
}
