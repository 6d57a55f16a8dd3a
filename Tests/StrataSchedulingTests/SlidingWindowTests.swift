@testable import StrataScheduling
import XCTest

/// KV groups with sliding windows: blocks behind a sequence's window go back to the pool, prefix
/// hits need the window before the hit point, and admission counts what a window holds.
final class SlidingWindowTests: XCTestCase {
    private func sequence(_ id: Int, _ tokens: [Int32], maxTokens: Int = 8) -> SequenceState {
        SequenceState(id: id, promptTokens: tokens, maxTokens: maxTokens, priority: 0, arrival: id)
    }

    /// Marks `count` more tokens computed, as a forward pass plus postprocess would.
    private func compute(_ manager: inout BlockManager, _ sequence: inout SequenceState, _ count: Int) {
        sequence.computedTokenCount += count
        manager.registerFullBlocks(&sequence)
        manager.releaseOutOfWindowBlocks(&sequence)
    }

    func testReleasesBlocksWhollyBeforeTheWindow() {
        // Groups: full attention, and a window of 8 positions; 4-token blocks.
        var manager = BlockManager(blockCount: 16, blockSize: 4, groupWindows: [nil, 8])
        var a = sequence(1, Array(0 ..< 20))
        manager.allocate(&a, tokens: 20)
        XCTAssertEqual(manager.usedBlockCount, 10)
        compute(&manager, &a, 20)
        // Position 20 attends to 13 ... 20: blocks 0-2 (positions 0-11) are never read again.
        XCTAssertEqual(manager.firstLiveBlock(group: 1, computedTokens: 20), 3)
        XCTAssertEqual(a.blockTables[0].count, 5)
        XCTAssertEqual(Array(a.blockTables[1].prefix(3)), Array(repeating: BlockManager.nullBlock, count: 3))
        XCTAssertFalse(a.blockTables[1].dropFirst(3).contains(BlockManager.nullBlock))
        XCTAssertEqual(manager.usedBlockCount, 7)
        XCTAssertEqual(manager.windowReleaseCount, 3)
        XCTAssertEqual(manager.consistencyViolations(tables: a.blockTables), [])
        // Decoding (a sampled token, then its KV): one more release each time the window passes
        // a block boundary.
        for step in 0 ..< 4 {
            a.generatedTokens.append(50 + Int32(step))
            manager.appendSlot(&a, tokens: 1)
            compute(&manager, &a, 1)
            if step == 0 { XCTAssertEqual(manager.windowReleaseCount, 3) }
        }
        XCTAssertEqual(a.computedTokenCount, 24)
        XCTAssertEqual(manager.windowReleaseCount, 4)    // (24 - 8 + 1) / 4 = 4 blocks behind
        XCTAssertEqual(manager.usedBlockCount, 6 + 2)    // 6 full, 2 sliding (positions 16-23)
        manager.free(&a)
        XCTAssertEqual(manager.usedBlockCount, 0)
        XCTAssertEqual(manager.consistencyViolations(tables: []), [])
    }

    func testWithoutWindowsNothingIsReleased() {
        var manager = BlockManager(blockCount: 16, blockSize: 4)
        var a = sequence(1, Array(0 ..< 40))
        manager.allocate(&a, tokens: 40)
        compute(&manager, &a, 40)
        XCTAssertEqual(manager.windowReleaseCount, 0)
        XCTAssertEqual(manager.usedBlockCount, 10)
        XCTAssertFalse(a.blockTable.contains(BlockManager.nullBlock))
    }

    func testPrefixHitNeedsTheSlidingBlocksBeforeTheHitPoint() {
        var manager = BlockManager(blockCount: 32, blockSize: 4, groupWindows: [nil, 8])
        var a = sequence(1, Array(0 ..< 24))
        manager.allocate(&a, tokens: 24)
        compute(&manager, &a, 24)
        manager.free(&a)   // everything cached: the window's released blocks too

        // A hit after 6 blocks needs sliding blocks 4 and 5 (positions 17-23 are in the window of 24).
        let long = manager.cachedPrefix(of: sequence(2, Array(0 ..< 24) + [99]))
        XCTAssertEqual(long.blockCount, 6)
        XCTAssertEqual(long.tables[1].prefix(4).filter { $0 != BlockManager.nullBlock }, [])
        XCTAssertEqual(long.tables[1].suffix(2).count { $0 != BlockManager.nullBlock }, 2)
        XCTAssertEqual(long.tables[0].count { $0 != BlockManager.nullBlock }, 6)

        // Forget sliding block 4, as if evicted: a hit at 6 or 5 blocks can no longer be served,
        // a hit at 4 blocks needs sliding blocks 2 and 3 only.
        let hash4 = long.hashes[4]
        manager.blockForKey[.init(group: 1, hash: hash4)] = nil
        let shorter = manager.cachedPrefix(of: sequence(3, Array(0 ..< 24) + [99]))
        XCTAssertEqual(shorter.blockCount, 4)
        let cached2 = manager.blockForKey[.init(group: 1, hash: long.hashes[2])]
        let cached3 = manager.blockForKey[.init(group: 1, hash: long.hashes[3])]
        XCTAssertEqual(shorter.tables[1], [BlockManager.nullBlock, BlockManager.nullBlock, cached2, cached3].map { $0 ?? -2 })

        var b = sequence(4, Array(0 ..< 24) + [99])
        manager.allocate(&b, tokens: 9)
        XCTAssertEqual(b.cachedTokenCount, 16)
        XCTAssertEqual(b.blockTables[1].prefix(2), [BlockManager.nullBlock, BlockManager.nullBlock])
        XCTAssertEqual(b.blockTables[0].count, 7)
        XCTAssertEqual(b.blockTables[1].count, 7)
    }

    func testAdmissionCountsTheWindowNotTheWholeSequence() throws {
        // 1,000 positions in 16-token blocks: 63 blocks with a full table; a 64-position window
        // with 32-token chunks holds at most ceil((63 + 32) / 16) + 1 = 7.
        let config = try SchedulerConfig(blockCount: 10, blockSize: 16, maxBatchTokens: 32, contextLength: 2048,
                                         groupWindows: [64])
        var scheduler = Scheduler(config: config)
        try scheduler.add(id: 1, prompt: Array(repeating: 3, count: 900), maxTokens: 101)
        var steps = 0, peak = 0
        while !scheduler.isIdle {
            let batch = scheduler.schedule()
            peak = max(peak, scheduler.blockManager.usedBlockCount)
            _ = scheduler.postprocess(batch, sampledTokens: batch.samplingSequenceIDs.map { _ in 5 })
            steps += 1
        }
        XCTAssertEqual(scheduler.preemptionCount, 0)
        XCTAssertLessThanOrEqual(peak, 7)
        XCTAssertEqual(scheduler.blockManager.windowReleaseCount, 63 - 5)   // all but the last window's blocks
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 0)

        let full = Scheduler(config: try SchedulerConfig(blockCount: 10, blockSize: 16, maxBatchTokens: 32, contextLength: 2048))
        var copy = full
        XCTAssertThrowsError(try copy.add(id: 1, prompt: Array(repeating: 3, count: 900), maxTokens: 101)) {
            XCTAssertEqual($0 as? SchedulingError, .exceedsCachePool(requiredBlocks: 63, blockCount: 10))
        }
    }

    func testSlidingBlocksReturnToThePoolSoMoreSequencesRun() throws {
        // Two groups: full and a 32-position window, 4-token blocks, 1 token per step after prefill.
        func peakRunning(windows: [Int?]) throws -> (running: Int, preemptions: Int) {
            var scheduler = Scheduler(config: try SchedulerConfig(
                blockCount: 200, blockSize: 4, maxBatchTokens: 64, maxRunning: 64, contextLength: 256, groupWindows: windows))
            for id in 0 ..< 40 { try scheduler.add(id: id, prompt: (0 ..< 100).map { Int32(id * 1000 + $0) }, maxTokens: 28) }
            var peak = 0
            while !scheduler.isIdle {
                let batch = scheduler.schedule()
                _ = scheduler.postprocess(batch, sampledTokens: batch.samplingSequenceIDs.map { _ in 1 })
                peak = max(peak, scheduler.running.count)
                XCTAssertEqual(scheduler.blockManager.consistencyViolations(tables: scheduler.running.flatMap(\.blockTables)), [])
            }
            return (peak, scheduler.preemptionCount)
        }
        let full = try peakRunning(windows: [nil, nil])
        let sliding = try peakRunning(windows: [nil, 32])
        XCTAssertGreaterThan(sliding.running, full.running)
    }
}
