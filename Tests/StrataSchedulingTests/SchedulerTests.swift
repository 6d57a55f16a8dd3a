@testable import StrataScheduling
import XCTest

final class SchedulerTests: XCTestCase {
    private func makeScheduler(
        blocks: Int = 64, blockSize: Int = 16, maxBatchTokens: Int = 512, maxRunning: Int = 8,
        maxWaiting: Int = 16, contextLength: Int = 1024
    ) throws -> Scheduler {
        Scheduler(config: try SchedulerConfig(
            blockCount: blocks, blockSize: blockSize, maxBatchTokens: maxBatchTokens, maxRunning: maxRunning,
            maxWaiting: maxWaiting, contextLength: contextLength))
    }

    /// Runs one step, sampling token 7 for every sequence that samples.
    @discardableResult
    private func step(_ scheduler: inout Scheduler, stopped: Set<SequenceID> = []) -> (ScheduledBatch, [SequenceState]) {
        let batch = scheduler.schedule()
        let finished = scheduler.postprocess(
            batch, sampledTokens: batch.samplingSequenceIDs.map { _ in 7 }, stopped: stopped)
        return (batch, finished)
    }

    func testRefusesRequestsThatCanNeverRunWithTheNumbers() throws {
        var scheduler = try makeScheduler(blocks: 4, blockSize: 16, maxWaiting: 2, contextLength: 100)
        XCTAssertThrowsError(try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 90), maxTokens: 11)) {
            XCTAssertEqual($0 as? SchedulingError, .exceedsContextLength(promptTokens: 90, maxTokens: 11, contextLength: 100))
        }
        // 60 + 6 - 1 = 65 tokens of KV need 5 blocks of 16; the pool has 4.
        XCTAssertThrowsError(try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 60), maxTokens: 6)) {
            XCTAssertEqual($0 as? SchedulingError, .exceedsCachePool(requiredBlocks: 5, blockCount: 4))
        }
        XCTAssertNoThrow(try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 60), maxTokens: 5))
        XCTAssertThrowsError(try scheduler.add(id: 2, prompt: [], maxTokens: 5)) {
            XCTAssertEqual($0 as? SchedulingError, .emptyPrompt)
        }
        XCTAssertThrowsError(try scheduler.add(id: 2, prompt: [1], maxTokens: 0)) {
            XCTAssertEqual($0 as? SchedulingError, .invalidMaxTokens(0))
        }
        XCTAssertThrowsError(try scheduler.add(id: 1, prompt: [1], maxTokens: 1)) {
            XCTAssertEqual($0 as? SchedulingError, .duplicateID(1))
        }
        try scheduler.add(id: 2, prompt: [1], maxTokens: 1)
        XCTAssertThrowsError(try scheduler.add(id: 3, prompt: [1], maxTokens: 1)) {
            XCTAssertEqual($0 as? SchedulingError, .queueFull(limit: 2))
        }
        XCTAssertThrowsError(try SchedulerConfig(blockCount: 0, contextLength: 8)) {
            XCTAssertEqual($0 as? SchedulingError, .invalidConfiguration(name: "blockCount", value: 0))
        }
    }

    func testAnAbandonedBatchEndsItsSequencesOnlyAndFreesTheirBlocks() throws {
        var scheduler = try makeScheduler(maxBatchTokens: 40)
        try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 20), maxTokens: 4)
        step(&scheduler)                            // 1 prefilled, first token sampled
        try scheduler.add(id: 2, prompt: Array(repeating: 2, count: 60), maxTokens: 4)
        let batch = scheduler.schedule()            // 1 decodes, 2 prefills its first chunk
        XCTAssertEqual(batch.entries.map(\.sequenceID), [1, 2])
        try scheduler.add(id: 3, prompt: Array(repeating: 3, count: 10), maxTokens: 4)
        XCTAssertTrue(scheduler.cancel(2))          // in flight: its release waits for the batch

        let ended = scheduler.abandon(batch)
        XCTAssertEqual(ended.map(\.id), [1])
        XCTAssertEqual(ended.first?.status, .finished(.cancelled))
        XCTAssertEqual(scheduler.running.count, 0)
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 0)
        XCTAssertEqual(scheduler.waiting.map(\.id), [3], "sequences not in the batch are untouched")
        let (next, finished) = step(&scheduler)     // the scheduler goes on
        XCTAssertEqual(next.entries.map(\.sequenceID), [3])
        XCTAssertTrue(finished.isEmpty)
    }

    func testChunkedPrefillRunsAlongsideDecodes() throws {
        var scheduler = try makeScheduler(maxBatchTokens: 32)
        try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 10), maxTokens: 5)
        step(&scheduler)                                         // prefill 1, sample
        try scheduler.add(id: 2, prompt: Array(repeating: 2, count: 100), maxTokens: 5)
        let (batch, _) = step(&scheduler)
        XCTAssertEqual(batch.entries.map(\.sequenceID), [1, 2])
        XCTAssertEqual(batch.entries.map(\.tokens.count), [1, 31])   // decode + first chunk
        XCTAssertEqual(batch.entries.map(\.samplesNextToken), [true, false])
        XCTAssertEqual(batch.entries[1].startPosition, 0)
        let (next, _) = step(&scheduler)
        XCTAssertEqual(next.entries.map(\.tokens.count), [1, 31])
        XCTAssertEqual(next.entries[1].startPosition, 31)
        let rows = next.rows()
        XCTAssertEqual(rows.positions.prefix(3), [11, 31, 32])
        XCTAssertEqual(rows.sequenceIndices.prefix(3), [0, 1, 1])
        XCTAssertEqual(rows.blockTables.count, 2)
        XCTAssertEqual(scheduler.sequence(2)?.computedTokenCount, 62)
        XCTAssertEqual(scheduler.sequence(2)?.blockTable.count, 4)
    }

    func testFinishesOnLengthAndStopAndFreesBlocks() throws {
        var scheduler = try makeScheduler()
        try scheduler.add(id: 1, prompt: [1, 2, 3], maxTokens: 2)
        try scheduler.add(id: 2, prompt: [4, 5, 6], maxTokens: 10)
        XCTAssertEqual(step(&scheduler).1, [])
        let (_, finished) = step(&scheduler, stopped: [2])
        XCTAssertEqual(finished.map(\.id), [1, 2])
        XCTAssertEqual(finished.map(\.status), [.finished(.length), .finished(.stop)])
        XCTAssertEqual(finished[0].generatedTokens, [7, 7])
        XCTAssertTrue(scheduler.isIdle)
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 0)
    }

    func testPriorityOrdersAdmission() throws {
        var scheduler = try makeScheduler(maxRunning: 1)
        try scheduler.add(id: 1, prompt: [1], maxTokens: 1, priority: 5)
        try scheduler.add(id: 2, prompt: [2], maxTokens: 1, priority: 0)
        try scheduler.add(id: 3, prompt: [3], maxTokens: 1, priority: 0)
        XCTAssertEqual(scheduler.waiting.map(\.id), [2, 3, 1])
        XCTAssertEqual(step(&scheduler).1.map(\.id), [2])
        XCTAssertEqual(step(&scheduler).1.map(\.id), [3])
        XCTAssertEqual(step(&scheduler).1.map(\.id), [1])
    }

    func testPreemptsTheLeastUrgentMostRecentAndRequeuesItFirst() throws {
        // 3 blocks of 4: three sequences of 4-token prompts fill the pool; the first decode needs
        // a block, so the most recent of the least urgent is preempted.
        var scheduler = try makeScheduler(blocks: 3, blockSize: 4, maxWaiting: 8, contextLength: 12)
        try scheduler.add(id: 1, prompt: [1, 1, 1, 1], maxTokens: 4, priority: 0)
        try scheduler.add(id: 2, prompt: [2, 2, 2, 2], maxTokens: 4, priority: 1)
        try scheduler.add(id: 3, prompt: [3, 3, 3, 3], maxTokens: 4, priority: 1)
        try scheduler.add(id: 4, prompt: [4], maxTokens: 1, priority: 1)
        step(&scheduler)
        XCTAssertEqual(scheduler.running.map(\.id), [1, 2, 3])
        XCTAssertEqual(scheduler.blockManager.freeBlockCount, 0)
        let (batch, _) = step(&scheduler)
        // 3 goes first; then 2 needs a block too and is itself the least urgent left.
        XCTAssertEqual(batch.preempted, [3, 2])
        XCTAssertEqual(batch.entries.map(\.sequenceID), [1])
        XCTAssertEqual(scheduler.waiting.first?.preemptionCount, 1)
        XCTAssertEqual(scheduler.preemptionCount, 2)
        XCTAssertEqual(scheduler.waiting.map(\.id), [2, 3, 4])
        // Preempted sequences keep their generated tokens and later resume from their prompt
        // block if it is still cached (2's is; 3's was evicted to give 1 its block).
        XCTAssertEqual(scheduler.waiting[0].generatedTokens, [7])
        XCTAssertEqual(scheduler.waiting[0].blockTable, [])
        var steps = 0
        while !scheduler.isIdle, steps < 100 {
            step(&scheduler)
            steps += 1
        }
        XCTAssertTrue(scheduler.isIdle)
        XCTAssertGreaterThan(scheduler.blockManager.cachedTokensReused, 0)
    }

    func testCancellationReleasesBlocksByTheNextStepBoundary() throws {
        var scheduler = try makeScheduler()
        try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 40), maxTokens: 10)
        try scheduler.add(id: 2, prompt: Array(repeating: 2, count: 40), maxTokens: 10)
        try scheduler.add(id: 3, prompt: [3], maxTokens: 10)
        step(&scheduler)
        XCTAssertTrue(scheduler.cancel(3))            // between steps: released at once
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 6)
        let batch = scheduler.schedule()
        XCTAssertTrue(scheduler.cancel(1))            // in flight: released by postprocess
        XCTAssertNotNil(scheduler.sequence(1))
        let finished = scheduler.postprocess(batch, sampledTokens: batch.samplingSequenceIDs.map { _ in 7 })
        XCTAssertEqual(finished, [])
        XCTAssertNil(scheduler.sequence(1))
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 3)
        try scheduler.add(id: 4, prompt: [4], maxTokens: 10)
        XCTAssertTrue(scheduler.cancel(4))            // waiting: holds nothing
        XCTAssertFalse(scheduler.cancel(99))
        XCTAssertEqual(scheduler.running.map(\.id), [2])
    }

    /// The prefix-cache check: a second sequence sharing a 256-token prefix (16-token
    /// blocks) takes 16 blocks from the cache and prefills only the remainder.
    func testSecondSequenceReusesA256TokenPrefix() throws {
        var scheduler = try makeScheduler(blocks: 64, blockSize: 16, maxBatchTokens: 512)
        let prefix = (0 ..< 256).map { Int32($0 + 1) }
        try scheduler.add(id: 1, prompt: prefix + (0 ..< 40).map { Int32(1000 + $0) }, maxTokens: 4)
        let (first, _) = step(&scheduler)
        XCTAssertEqual(first.tokenCount, 296)
        XCTAssertEqual(scheduler.blockManager.cachedBlockCount, 18)
        try scheduler.add(id: 2, prompt: prefix + (0 ..< 30).map { Int32(2000 + $0) }, maxTokens: 4)
        let (second, _) = step(&scheduler)
        let entry = try XCTUnwrap(second.entries.first { $0.sequenceID == 2 })
        XCTAssertEqual(entry.startPosition, 256)
        XCTAssertEqual(entry.tokens.count, 30)
        XCTAssertEqual(scheduler.blockManager.cachedTokensReused, 256)
        let a = try XCTUnwrap(scheduler.sequence(1)), b = try XCTUnwrap(scheduler.sequence(2))
        XCTAssertEqual(b.cachedTokenCount, 256)
        XCTAssertEqual(Array(b.blockTable.prefix(16)), Array(a.blockTable.prefix(16)))
        XCTAssertEqual(Set(b.blockTable.dropFirst(16)).intersection(a.blockTable), [])
        for block in a.blockTable.prefix(16) { XCTAssertEqual(scheduler.blockManager.refCount(of: block), 2) }
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 19 + 2)   // 19 of a, 16 shared + 2 of b
    }

    func testPreemptsByPriorityBeforeArrival() throws {
        // 2 blocks of 2: an earlier low-priority sequence and a later urgent one fill the pool;
        // when the urgent one needs a block, the earlier low-priority one goes.
        var scheduler = try makeScheduler(blocks: 2, blockSize: 2, contextLength: 8)
        try scheduler.add(id: 1, prompt: [1, 1], maxTokens: 2, priority: 3)
        try scheduler.add(id: 2, prompt: [2, 2], maxTokens: 2, priority: 0)
        step(&scheduler)
        XCTAssertEqual(scheduler.running.map(\.id), [2, 1])
        let (batch, finished) = step(&scheduler)
        XCTAssertEqual(batch.preempted, [1])
        XCTAssertEqual(batch.entries.map(\.sequenceID), [2])
        XCTAssertEqual(finished.map(\.id), [2])
        XCTAssertEqual(step(&scheduler).1.map(\.id), [1])
        XCTAssertTrue(scheduler.isIdle)
    }

    func testLaterArrivalsNeverOvertakeTheWaitingHead() throws {
        // The head needs 3 blocks while 2 are held; a later 1-block request must wait behind it.
        var scheduler = try makeScheduler(blocks: 4, blockSize: 4, contextLength: 16)
        try scheduler.add(id: 1, prompt: Array(repeating: 1, count: 5), maxTokens: 3)
        step(&scheduler)
        try scheduler.add(id: 2, prompt: Array(repeating: 2, count: 9), maxTokens: 2)
        try scheduler.add(id: 3, prompt: [3], maxTokens: 1)
        let (batch, _) = step(&scheduler)
        XCTAssertEqual(batch.entries.map(\.sequenceID), [1])
        XCTAssertEqual(scheduler.waiting.map(\.id), [2, 3])
    }
}
