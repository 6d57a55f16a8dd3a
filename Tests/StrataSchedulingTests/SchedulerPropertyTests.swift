@testable import StrataScheduling
import StrataTestSupport
import XCTest

/// Random traces over tight block pools: arrivals, lengths, shared prefixes, priorities, stops,
/// cancellations (between steps and in flight). After every step the pool, the queues and the
/// batches are checked, and a simulated KV cache checks that every position a batch attends to
/// holds the KV of this sequence's own prefix, including blocks taken from the prefix cache.
/// Most traces have several KV groups, some with sliding windows: there every sequence's
/// sliding table must hold exactly the blocks its window still reaches.
final class SchedulerPropertyTests: XCTestCase {
    private struct Totals {
        var sequences = 0, refused = 0, finished = 0, cancelled = 0, steps = 0, preemptions = 0
        var cachedTokens = 0, allocatedSlots = 0, computedSlots = 0, maxLatency = 0
        var refusals: [String: Int] = [:]
        var windowedSequences = 0, windowReleases = 0
    }

    func testRandomTracesKeepEveryInvariant() throws {
        var totals = Totals()
        for seed in 1 ... 90 {
            try runTrace(seed: UInt64(seed), sequences: 120, totals: &totals)
        }
        XCTAssertGreaterThanOrEqual(totals.sequences, 9000)
        XCTAssertGreaterThanOrEqual(totals.windowedSequences, 4000)
        XCTAssertGreaterThan(totals.windowReleases, 0)
        XCTAssertEqual(totals.finished + totals.cancelled + totals.refused, totals.sequences)
        XCTAssertGreaterThan(totals.finished + totals.cancelled, totals.sequences / 2)  // mostly admitted
        for kind in ["queueFull", "exceedsContextLength", "exceedsCachePool", "invalidMaxTokens"] {
            XCTAssertGreaterThan(totals.refusals[kind, default: 0], 0, kind)
        }
        XCTAssertGreaterThan(totals.cancelled, 0)
        XCTAssertGreaterThan(totals.preemptions, 0)
        XCTAssertGreaterThan(totals.cachedTokens, 0)
        let waste = 100 * Double(totals.allocatedSlots - totals.computedSlots) / Double(totals.allocatedSlots)
        print("""
            scheduler property test: \(totals.sequences) sequences, \(totals.refused) refused, \
            \(totals.finished) finished, \(totals.cancelled) cancelled, \(totals.steps) steps, \
            \(totals.preemptions) preemptions, \(totals.cachedTokens) tokens from the prefix cache, \
            KV waste \(String(format: "%.2f", waste))% of allocated full-attention slots, \
            \(totals.windowedSequences) sequences with sliding windows, \(totals.windowReleases) blocks released by windows, \
            longest arrival-to-finish \(totals.maxLatency) steps, refusals \(totals.refusals)
            """)
        XCTAssertLessThan(waste, 10)
    }

    /// The KV "value" a position holds in a group's layers: a hash of the group and the
    /// sequence's tokens up to and including it.
    private static func prefixKey(_ tokens: [Int32], through position: Int, group: Int) -> UInt64 {
        BlockHash(previous: BlockHash(value: UInt64(group)), tokens: tokens[0 ... position]).value
    }

    /// Random KV groups: one full group (no windows) or a mix of full and sliding ones.
    private static func groupWindows(using rng: inout SplitMix64) -> [Int?] {
        let window = Int.random(in: 1 ... 64, using: &rng)
        switch Int.random(in: 0 ..< 4, using: &rng) {
        case 0: return [nil]
        case 1: return [nil, window]
        case 2: return [window, window, nil, window]
        default: return [window]
        }
    }

    /// Blocks one sequence may hold at once, worked out apart from `BlockManager`.
    private static func blocksRequired(tokens: Int, config: SchedulerConfig) -> Int {
        let size = config.blockSize, all = (tokens + size - 1) / size
        return config.groupWindows.map { window in
            guard let window else { return all }
            return min(all, (window - 1 + min(tokens, config.maxBatchTokens) + size - 1) / size + 1)
        }.reduce(0, +)
    }

    private func runTrace(seed: UInt64, sequences: Int, totals: inout Totals) throws {
        var rng = SplitMix64(seed: seed)
        let blockSize = [1, 2, 4, 8, 16].randomElement(using: &rng)!
        let contextLength = Int.random(in: 48 ... 256, using: &rng)
        let contextBlocks = (contextLength + blockSize - 1) / blockSize
        let windows = Self.groupWindows(using: &rng)
        let config = try SchedulerConfig(
            blockCount: Int.random(in: max(1, windows.count * contextBlocks / 3) ... windows.count * contextBlocks * 2, using: &rng),
            blockSize: blockSize,
            maxBatchTokens: Int.random(in: 1 ... 160, using: &rng),
            maxRunning: Int.random(in: 1 ... 12, using: &rng),
            maxWaiting: Int.random(in: 4 ... 64, using: &rng),
            contextLength: contextLength,
            groupWindows: windows)
        let windowed = windows.contains { $0 != nil }
        let prefixes: [[Int32]] = (0 ..< 4).map { _ in
            (0 ..< Int.random(in: 0 ... 48, using: &rng)).map { _ in Int32.random(in: 0 ..< 5, using: &rng) }
        }
        let usePriorities = Bool.random(using: &rng)

        var scheduler = Scheduler(config: config)
        var kv = Array(repeating: UInt64?.none, count: config.blockCount * blockSize)
        var expected: [SequenceID: [Int32]] = [:]   // tokens sampled for each live sequence
        var live: [SequenceID] = []
        var arrivedAtStep: [SequenceID: Int] = [:]
        var submitted = 0, step = 0

        while submitted < sequences || !scheduler.isIdle {
            step += 1
            guard step < 200_000 else { return XCTFail("seed \(seed): not idle after \(step) steps") }

            // Arrivals.
            let burst = Int.random(in: 0 ..< 6, using: &rng) == 0 ? Int.random(in: 1 ... 4, using: &rng) : 0
            for _ in 0 ..< (submitted < sequences ? burst : 0) {
                let tail = (0 ..< Int.random(in: 0 ... 80, using: &rng)).map { _ in Int32.random(in: 0 ..< 5, using: &rng) }
                let prompt = prefixes.randomElement(using: &rng)! + tail
                let maxTokens = Int.random(in: 0 ... 40, using: &rng)
                let priority = usePriorities ? Int.random(in: 0 ... 3, using: &rng) : 0
                let id = submitted
                submitted += 1
                totals.sequences += 1
                do {
                    try scheduler.add(id: id, prompt: prompt, maxTokens: maxTokens, priority: priority)
                    expected[id] = []
                    live.append(id)
                    if windowed { totals.windowedSequences += 1 }
                    arrivedAtStep[id] = step
                } catch {
                    totals.refused += 1
                    totals.refusals["\(error)".prefix { $0 != "(" }.description, default: 0] += 1
                    switch error {
                    case .emptyPrompt: XCTAssertTrue(prompt.isEmpty)
                    case .invalidMaxTokens: XCTAssertLessThan(maxTokens, 1)
                    case let .exceedsContextLength(p, m, c): XCTAssertGreaterThan(p + m, c)
                    case let .exceedsCachePool(required, count):
                        XCTAssertGreaterThan(required, count)
                        XCTAssertEqual(required, Self.blocksRequired(tokens: prompt.count + maxTokens - 1, config: config))
                    case .queueFull: XCTAssertGreaterThanOrEqual(scheduler.waiting.count, config.maxWaiting)  // preempted ones may exceed it
                    case .duplicateID, .invalidConfiguration: XCTFail("unexpected \(error)")
                    }
                }
            }
            // Cancellations between steps.
            if !live.isEmpty, Int.random(in: 0 ..< 30, using: &rng) == 0 {
                let id = live.remove(at: Int.random(in: 0 ..< live.count, using: &rng))
                XCTAssertTrue(scheduler.cancel(id))
                expected[id] = nil
                totals.cancelled += 1
            }

            let batch = scheduler.schedule()
            try checkBatch(batch, scheduler: scheduler, kv: &kv)
            XCTAssertEqual(scheduler.blockManager.consistencyViolations(tables: scheduler.running.flatMap(\.blockTables)), [])
            if batch.isEmpty {
                XCTAssertTrue(scheduler.isIdle, "seed \(seed): nothing scheduled while work is queued")
            }
            // Cancellations in flight.
            if !live.isEmpty, Int.random(in: 0 ..< 60, using: &rng) == 0 {
                let id = live.remove(at: Int.random(in: 0 ..< live.count, using: &rng))
                XCTAssertTrue(scheduler.cancel(id))
                expected[id] = nil
                totals.cancelled += 1
            }

            var sampled: [Int32] = [], stopped: Set<SequenceID> = []
            for id in batch.samplingSequenceIDs {
                let token = Int32.random(in: 0 ..< 5, using: &rng)
                sampled.append(token)
                expected[id]?.append(token)
                if Int.random(in: 0 ..< 25, using: &rng) == 0 { stopped.insert(id) }
            }
            for sequence in scheduler.postprocess(batch, sampledTokens: sampled, stopped: stopped) {
                totals.finished += 1
                XCTAssertEqual(sequence.generatedTokens, expected[sequence.id])
                switch sequence.status {
                case .finished(.length): XCTAssertEqual(sequence.generatedTokens.count, sequence.maxTokens)
                case .finished(.stop): XCTAssertTrue(stopped.contains(sequence.id))
                default: XCTFail("\(sequence.id) reported as \(sequence.status)")
                }
                expected[sequence.id] = nil
                totals.maxLatency = max(totals.maxLatency, step - arrivedAtStep[sequence.id]!)
                live.removeAll { $0 == sequence.id }
            }
            try checkQueues(scheduler, expected: expected, totals: &totals)
        }
        XCTAssertTrue(expected.isEmpty, "seed \(seed): never finished: \(expected.keys.sorted())")
        XCTAssertEqual(scheduler.blockManager.usedBlockCount, 0)
        XCTAssertEqual(scheduler.blockManager.consistencyViolations(tables: []), [])
        totals.steps += step
        totals.preemptions += scheduler.preemptionCount
        totals.cachedTokens += scheduler.blockManager.cachedTokensReused
        totals.windowReleases += scheduler.blockManager.windowReleaseCount
        if !windowed { XCTAssertEqual(scheduler.blockManager.windowReleaseCount, 0) }
    }

    /// Budgets, entry shapes, and the simulated KV: every earlier position reads its own prefix's
    /// value through the block table, and positions are written only into exclusively owned blocks.
    private func checkBatch(_ batch: ScheduledBatch, scheduler: Scheduler, kv: inout [UInt64?]) throws {
        let config = scheduler.config
        XCTAssertLessThanOrEqual(batch.tokenCount, config.maxBatchTokens)
        XCTAssertLessThanOrEqual(batch.entries.count, config.maxRunning)
        XCTAssertLessThanOrEqual(scheduler.running.count, config.maxRunning)
        XCTAssertEqual(Set(batch.entries.map(\.sequenceID)).count, batch.entries.count)
        for entry in batch.entries {
            let sequence = try XCTUnwrap(scheduler.running.first { $0.id == entry.sequenceID })
            let tokens = sequence.allTokens
            XCTAssertFalse(entry.tokens.isEmpty)
            XCTAssertEqual(entry.startPosition, sequence.computedTokenCount)
            XCTAssertEqual(entry.tokens, Array(tokens[entry.startPosition ..< entry.startPosition + entry.tokens.count]))
            XCTAssertEqual(entry.blockTables, sequence.blockTables)
            XCTAssertEqual(entry.blockTables.count, config.groupWindows.count)
            let end = entry.startPosition + entry.tokens.count
            XCTAssertEqual(entry.samplesNextToken, end == tokens.count)
            let held = entry.blockTables.joined().count { $0 != BlockManager.nullBlock }
            XCTAssertLessThanOrEqual(held, Self.blocksRequired(tokens: sequence.promptTokens.count + sequence.maxTokens - 1, config: config))
            for (group, table) in entry.blockTables.enumerated() {
                XCTAssertEqual(table.count, scheduler.blockManager.blocksNeeded(for: end))
                // A sliding group holds exactly the blocks from the first one this batch reads.
                let firstRead = config.groupWindows[group].map { max(0, entry.startPosition - $0 + 1) } ?? 0
                for (b, block) in table.enumerated() {
                    XCTAssertEqual(block == BlockManager.nullBlock, b < firstRead / config.blockSize,
                                   "sequence \(entry.sequenceID) group \(group) block \(b)")
                }
                for position in firstRead ..< end {
                    let block = table[position / config.blockSize]
                    guard block != BlockManager.nullBlock else { continue }   // reported above
                    let slot = Int(block) * config.blockSize + position % config.blockSize
                    let key = Self.prefixKey(tokens, through: position, group: group)
                    if position < entry.startPosition {
                        XCTAssertEqual(kv[slot], key, "sequence \(entry.sequenceID) group \(group) position \(position) reads wrong KV")
                    } else {
                        XCTAssertEqual(scheduler.blockManager.refCount(of: block), 1)
                        kv[slot] = key
                    }
                }
            }
        }
    }

    /// Queue states after a step; accumulates the KV waste (allocated but uncomputed slots).
    private func checkQueues(_ scheduler: Scheduler, expected: [SequenceID: [Int32]], totals: inout Totals) throws {
        let manager = scheduler.blockManager
        XCTAssertEqual(manager.consistencyViolations(tables: scheduler.running.flatMap(\.blockTables)), [])
        var allocated = 0
        for sequence in scheduler.running {
            XCTAssertEqual(sequence.status, .running)
            XCTAssertGreaterThan(sequence.uncomputedTokenCount, 0)
            XCTAssertEqual(sequence.generatedTokens, expected[sequence.id])
            XCTAssertEqual(sequence.blockTables.count, manager.groupCount)
            for (group, table) in sequence.blockTables.enumerated() {
                XCTAssertEqual(table.count, manager.blocksNeeded(for: sequence.computedTokenCount))
                // Exactly the window: released before the first live block, held from it on.
                let first = manager.firstLiveBlock(group: group, computedTokens: sequence.computedTokenCount)
                for (b, block) in table.enumerated() {
                    XCTAssertEqual(block == BlockManager.nullBlock, b < first, "sequence \(sequence.id) group \(group) block \(b)")
                }
                guard manager.groupWindows[group] == nil else { continue }
                allocated += table.count * manager.blockSize
                totals.computedSlots += sequence.computedTokenCount
            }
        }
        totals.allocatedSlots += allocated
        for sequence in scheduler.waiting {
            XCTAssertEqual(sequence.status, .waiting)
            XCTAssertEqual(sequence.blockTables, [])
            XCTAssertEqual(sequence.computedTokenCount, 0)
            XCTAssertEqual(sequence.generatedTokens, expected[sequence.id])
        }
        for (earlier, later) in zip(scheduler.waiting, scheduler.waiting.dropFirst()) {
            XCTAssertTrue(earlier.isMoreUrgent(than: later))
        }
        XCTAssertEqual(Set(scheduler.running.map(\.id) + scheduler.waiting.map(\.id)), Set(expected.keys))
    }
}
