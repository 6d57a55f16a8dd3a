@testable import StrataScheduling
import XCTest

final class BlockHashTests: XCTestCase {
    func testIsDeterministicFNV1a() {
        // No tokens and no previous block: the FNV-1a 64 offset basis.
        XCTAssertEqual(BlockHash(previous: nil, tokens: []).value, 0xCBF2_9CE4_8422_2325)
        let a = BlockHash(previous: nil, tokens: [1, 2, 3, 4])
        XCTAssertEqual(a, BlockHash(previous: nil, tokens: [1, 2, 3, 4]))
        XCTAssertEqual(a.description.count, 16)
    }

    func testChainsThePreviousBlock() {
        let first = BlockHash(previous: nil, tokens: [1, 2])
        let other = BlockHash(previous: nil, tokens: [9, 9])
        XCTAssertNotEqual(BlockHash(previous: first, tokens: [3, 4]), BlockHash(previous: other, tokens: [3, 4]))
        XCTAssertNotEqual(BlockHash(previous: nil, tokens: [3, 4]), BlockHash(previous: first, tokens: [3, 4]))
        XCTAssertNotEqual(BlockHash(previous: nil, tokens: [1, 2]), BlockHash(previous: nil, tokens: [2, 1]))
        XCTAssertNotEqual(BlockHash(previous: nil, tokens: [-1]), BlockHash(previous: nil, tokens: [1]))
    }
}
