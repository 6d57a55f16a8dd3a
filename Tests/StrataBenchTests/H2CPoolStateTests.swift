@testable import StrataBench
import XCTest

/// The h2c client's connection choice, without sockets: least-loaded slot, one connection
/// attempt per slot, reconnection after a loss, and no stale loss reports.
final class H2CPoolStateTests: XCTestCase {
    func testConnectsEachSlotOnceAndSpreadsStreams() {
        var pool = H2CPoolState<String>(slots: 2)
        guard case .connect(0, let g0)? = pool.acquire() else { return XCTFail("slot 0 connects first") }
        pool.connecting(slot: 0, generation: g0, connection: "c0")
        guard case .connect(1, let g1)? = pool.acquire() else { return XCTFail("slot 1 is less loaded") }
        pool.connecting(slot: 1, generation: g1, connection: "c1")
        guard case .use(0, "c0")? = pool.acquire() else { return XCTFail("tie: the first slot") }
        guard case .use(1, "c1")? = pool.acquire() else { return XCTFail("then the other") }
        XCTAssertEqual(pool.streamCounts, [2, 2])
        pool.release(slot: 1)
        guard case .use(1, "c1")? = pool.acquire() else { return XCTFail("the slot with fewer streams") }
    }

    func testLostConnectionIsReplacedAndStaleLossesIgnored() {
        var pool = H2CPoolState<String>(slots: 1)
        guard case .connect(0, let first)? = pool.acquire() else { return XCTFail() }
        pool.connecting(slot: 0, generation: first, connection: "old")
        pool.release(slot: 0)
        pool.lost(slot: 0, generation: first)
        guard case .connect(0, let second)? = pool.acquire() else { return XCTFail("a lost connection is reopened") }
        XCTAssertNotEqual(first, second)
        pool.connecting(slot: 0, generation: second, connection: "new")
        pool.lost(slot: 0, generation: first)
        guard case .use(0, "new")? = pool.acquire() else { return XCTFail("a late report about the old connection is ignored") }
        pool.connecting(slot: 0, generation: first, connection: "stale")
        guard case .use(0, "new")? = pool.acquire() else { return XCTFail("nor is a stale connection stored") }
    }

    func testShutDownReturnsConnectionsAndRefusesMore() {
        var pool = H2CPoolState<String>(slots: 3)
        guard case .connect(0, let g)? = pool.acquire() else { return XCTFail() }
        pool.connecting(slot: 0, generation: g, connection: "c")
        XCTAssertEqual(pool.shutDown(), ["c"])
        XCTAssertNil(pool.acquire())
        XCTAssertEqual(H2CClient.connections(forConcurrency: 1), 1)
        XCTAssertEqual(H2CClient.connections(forConcurrency: 100), 1)
        XCTAssertEqual(H2CClient.connections(forConcurrency: 101), 2)
    }
}
