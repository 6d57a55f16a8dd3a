import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import XCTest
@testable import StrataCluster

/// One coordinator connection carries any number of requests (a stream each).
final class StageConnectionTests: XCTestCase {
    func testOneConnectionCarriesHundredsOfStreams() async throws {
        let loaded = try ClusterHarness.load()
        try await ClusterHarness.withWorkers(["0:18"], model: loaded.path) { workers in
            let connection = try await StageConnection.connect(
                host: "127.0.0.1", port: workers[0].port, timeout: .seconds(5), group: MultiThreadedEventLoopGroup.singleton
            ).get()
            defer { connection.close() }
            let headers: HTTPHeaders = ["host": "127.0.0.1", "authorization": "Bearer \(ClusterHarness.token)",
                                        WorkerRouter.digestHeader: ModelDigest.hex(loaded.digest)]
            // More than the 200 resets per 30 s a peer tolerates, had streams been reset rather than ended.
            var roundTrips: [UInt64] = []
            for _ in 0 ..< 500 {
                let start = DispatchTime.now().uptimeNanoseconds
                let reply = try await connection.request(.GET, "/v1/handshake", headers: headers, body: [],
                                                         deadline: .now() + .seconds(30)).get()
                roundTrips.append(DispatchTime.now().uptimeNanoseconds - start)
                XCTAssertEqual(reply.status, 200)
                XCTAssertEqual(try Handshake(decoding: reply.body).modelDigest, loaded.digest)
            }
            XCTAssertTrue(connection.isActive)
            roundTrips.sort()
            print("handshake round trip on loopback: median \(roundTrips[250] / 1000) µs, p99 \(roundTrips[495] / 1000) µs")
        }
    }
}
