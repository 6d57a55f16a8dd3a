@testable import StrataScheduling
import XCTest

/// KV waste: the only allocated but unfilled slots are the tail of each sequence's last block.
final class KVWasteTests: XCTestCase {
    /// The issue's benchmark shape: 16 concurrent sequences, 128-token prompts, 128 new tokens,
    /// 16-token blocks. Waste is measured after every step over the running sequences' blocks.
    func testWasteIsOnlyLastBlockTails() throws {
        let blockSize = 16
        var scheduler = Scheduler(config: try SchedulerConfig(
            blockCount: 16 * 16, blockSize: blockSize, maxBatchTokens: 512, maxRunning: 32, contextLength: 4096))
        for id in 0 ..< 16 {
            try scheduler.add(id: id, prompt: (0 ..< 128).map { Int32(id * 1000 + $0) }, maxTokens: 128)
        }
        var allocated = 0, computed = 0, steps = 0
        while !scheduler.isIdle {
            let batch = scheduler.schedule()
            _ = scheduler.postprocess(batch, sampledTokens: batch.samplingSequenceIDs.map { Int32($0) })
            steps += 1
            for sequence in scheduler.running {
                let slots = sequence.blockTable.count * blockSize
                XCTAssertLessThan(slots - sequence.computedTokenCount, blockSize)
                allocated += slots
                computed += sequence.computedTokenCount
            }
        }
        XCTAssertEqual(scheduler.preemptionCount, 0)
        let waste = 100 * Double(allocated - computed) / Double(allocated)
        print("KV waste, 16 × (128 + 128) tokens, 16-token blocks: \(String(format: "%.2f", waste))% over \(steps) steps")
        XCTAssertLessThan(waste, 4)
    }
}
