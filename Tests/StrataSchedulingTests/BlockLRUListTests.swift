@testable import StrataScheduling
import XCTest

final class BlockLRUListTests: XCTestCase {
    func testKeepsReleaseOrderThroughRemovals() {
        var list = BlockLRUList(capacity: 5)
        for block: Int32 in [3, 1, 4, 0] { list.append(block) }
        list.remove(1)        // middle
        list.remove(0)        // tail
        list.append(2)
        XCTAssertEqual(list.elements, [3, 4, 2])
        XCTAssertEqual(list.count, 3)
        XCTAssertEqual(list.removeFirst(), 3)
        XCTAssertFalse(list.contains(3))
        XCTAssertTrue(list.contains(4))
        XCTAssertEqual(list.removeFirst(), 4)
        XCTAssertEqual(list.removeFirst(), 2)
        XCTAssertNil(list.removeFirst())
        list.append(1)
        XCTAssertEqual(list.elements, [1])
    }
}
