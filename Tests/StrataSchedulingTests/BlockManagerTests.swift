@testable import StrataScheduling
import XCTest

final class BlockManagerTests: XCTestCase {
    private func sequence(_ id: Int, _ tokens: [Int32]) -> SequenceState {
        SequenceState(id: id, promptTokens: tokens, maxTokens: 8, priority: 0, arrival: id)
    }

    /// Marks everything allocated as computed, as a forward pass plus postprocess would.
    private func compute(_ manager: inout BlockManager, _ sequence: inout SequenceState, _ count: Int) {
        sequence.computedTokenCount += count
        manager.registerFullBlocks(&sequence)
    }

    func testAllocateAppendFreeKeepCounts() {
        var manager = BlockManager(blockCount: 4, blockSize: 4)
        var a = sequence(1, Array(0 ..< 10))
        XCTAssertTrue(manager.canAllocate(a, tokens: 10))
        manager.allocate(&a, tokens: 10)
        XCTAssertEqual(a.blockTable.count, 3)
        XCTAssertEqual(manager.usedBlockCount, 3)
        XCTAssertEqual(manager.freeBlockCount, 1)
        compute(&manager, &a, 10)
        XCTAssertEqual(manager.cachedBlockCount, 2)
        XCTAssertTrue(manager.canAppend(a, tokens: 2))   // fits the last block's tail
        XCTAssertTrue(manager.canAppend(a, tokens: 6))   // one more block
        XCTAssertFalse(manager.canAppend(a, tokens: 7))  // two more blocks
        manager.appendSlot(&a, tokens: 6)
        XCTAssertEqual(manager.freeBlockCount, 0)
        var b = sequence(2, [99])
        XCTAssertFalse(manager.canAllocate(b, tokens: 1))
        manager.free(&a)
        XCTAssertEqual(a.blockTable, [])
        XCTAssertEqual(a.computedTokenCount, 0)
        XCTAssertEqual(manager.freeBlockCount, 4)
        XCTAssertEqual(manager.cachedBlockCount, 2)    // cached blocks survive their owner
        manager.allocate(&b, tokens: 1)
        XCTAssertEqual(manager.consistencyViolations(tables: [b.blockTable]), [])
    }

    func testSharesCachedPrefixWithRefCounts() {
        var manager = BlockManager(blockCount: 8, blockSize: 4)
        var a = sequence(1, Array(0 ..< 9))
        manager.allocate(&a, tokens: 9)
        compute(&manager, &a, 9)
        var b = sequence(2, Array(0 ..< 8) + [50, 51])
        XCTAssertEqual(manager.cachedPrefix(of: b).tables[0], Array(a.blockTable.prefix(2)))
        manager.allocate(&b, tokens: 2)
        XCTAssertEqual(b.cachedTokenCount, 8)
        XCTAssertEqual(b.computedTokenCount, 8)
        XCTAssertEqual(manager.cachedTokensReused, 8)
        XCTAssertEqual(Array(b.blockTable.prefix(2)), Array(a.blockTable.prefix(2)))
        XCTAssertEqual(manager.refCount(of: a.blockTable[0]), 2)
        XCTAssertEqual(manager.refCount(of: a.blockTable[2]), 1)
        XCTAssertEqual(manager.consistencyViolations(tables: [a.blockTable, b.blockTable]), [])
        manager.free(&a)
        XCTAssertEqual(manager.refCount(of: b.blockTable[0]), 1)
        XCTAssertEqual(manager.consistencyViolations(tables: [b.blockTable]), [])
    }

    func testLeavesTheLastTokenToCompute() {
        var manager = BlockManager(blockCount: 8, blockSize: 4)
        var a = sequence(1, Array(0 ..< 8))
        manager.allocate(&a, tokens: 8)
        compute(&manager, &a, 8)
        // The same 8 tokens: only the first block is reused; the last token needs its logits.
        XCTAssertEqual(manager.cachedPrefix(of: sequence(2, Array(0 ..< 8))).blockCount, 1)
        XCTAssertEqual(manager.cachedPrefix(of: sequence(3, Array(0 ..< 9))).blockCount, 2)
        XCTAssertEqual(manager.cachedPrefix(of: sequence(4, [0, 1, 2, 7, 4])).blockCount, 0)
    }

    func testEvictsLeastRecentlyReleasedCachedBlocks() {
        var manager = BlockManager(blockCount: 4, blockSize: 2)
        var a = sequence(1, [1, 1, 2, 2, 3])   // two full blocks cached
        manager.allocate(&a, tokens: 5)
        compute(&manager, &a, 5)
        var b = sequence(2, [7, 7, 8])         // one full block cached, released after a's
        manager.free(&a)
        manager.allocate(&b, tokens: 3)
        compute(&manager, &b, 3)
        manager.free(&b)
        XCTAssertEqual(manager.cachedBlockCount, 3)
        // Three fresh blocks: the never-cached one first, then a's tail block and its head block
        // (released first, tail first), leaving b's block cached.
        var c = sequence(3, [5, 5, 5, 5, 5])
        manager.allocate(&c, tokens: 5)
        XCTAssertEqual(manager.evictionCount, 2)
        XCTAssertEqual(manager.cachedBlockCount, 1)
        XCTAssertEqual(manager.cachedPrefix(of: sequence(4, [7, 7, 9])).blockCount, 1)
        XCTAssertEqual(manager.cachedPrefix(of: sequence(5, [1, 1, 2])).blockCount, 0)
        XCTAssertEqual(manager.consistencyViolations(tables: [c.blockTable]), [])
    }

    func testReusingAFreeCachedBlockCountsAgainstTheFreePool() {
        var manager = BlockManager(blockCount: 2, blockSize: 2)
        var a = sequence(1, [1, 1, 2])
        manager.allocate(&a, tokens: 3)
        compute(&manager, &a, 3)
        manager.free(&a)
        // [1, 1] is cached and free; a sequence reusing it needs one more block, and one is free.
        let b = sequence(2, [1, 1, 2, 2, 3])
        XCTAssertTrue(manager.canAllocate(b, tokens: 1))
        XCTAssertTrue(manager.canAllocate(b, tokens: 2))
        XCTAssertFalse(manager.canAllocate(b, tokens: 3))
    }

    func testConfirmsAHashHitAgainstTheTokenIDs() {
        var manager = BlockManager(blockCount: 4, blockSize: 2)
        var a = sequence(1, [1, 2, 3])
        manager.allocate(&a, tokens: 3)
        compute(&manager, &a, 3)
        let block = a.blockTable[0]
        // Forge a collision: [5, 6]'s hash points at the block holding [1, 2].
        manager.blockForKey[.init(group: 0, hash: BlockHash(previous: nil, tokens: [5, 6]))] = block
        XCTAssertEqual(manager.cachedPrefix(of: sequence(2, [5, 6, 7])).tables[0], [])
        XCTAssertEqual(manager.cachedPrefix(of: sequence(3, [1, 2, 7])).tables[0], [block])
    }
}
