import StrataKernels
import Synchronization
import XCTest

final class ThreadPoolTests: XCTestCase {
    /// Every index runs exactly once, for many calls in a row, whatever the thread count.
    func testParallelForRunsEachIndexOnce() {
        for threads in [1, 2, 3, 4] {
            let pool = ThreadPool(threadCount: threads)
            XCTAssertEqual(pool.threadCount, threads)
            let hits = (0..<1000).map { _ in Counter() }
            var expected = [Int](repeating: 0, count: 1000)
            for call in 0..<3000 {
                let count = [0, 1, 2, 7, 64, 1000][call % 6]
                pool.parallelFor(count) { i in hits[i].value.add(1, ordering: .relaxed) }
                for i in 0..<count { expected[i] += 1 }
            }
            for i in 0..<1000 {
                XCTAssertEqual(hits[i].value.load(ordering: .relaxed), expected[i], "threads \(threads) index \(i)")
            }
        }
    }

    /// With no spinning, workers sleep between calls and must be woken every time.
    func testSleepingWorkersWakeUp() {
        let pool = ThreadPool(threadCount: 3, spinIterations: 0)
        let total = Atomic<Int>(0)
        for round in 0..<300 {
            pool.parallelFor(16) { i in total.add(i, ordering: .relaxed) }
            if round % 50 == 0 { usleep(2000) }  // let every worker fall asleep
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 300 * 120)
    }

    /// Work really spreads across threads (when the machine lets it).
    func testWorkersParticipate() {
        let pool = ThreadPool(threadCount: 2)
        let threads = Mutex<Set<UInt>>([])
        for _ in 0..<50 {
            pool.parallelFor(64) { _ in
                let me = UInt(bitPattern: Int(bitPattern: pthread_self()))
                threads.withLock { _ = $0.insert(me) }
                usleep(50)
            }
        }
        XCTAssertEqual(threads.withLock { $0.count }, 2)
    }

    /// Pools start and stop cleanly (deinit joins the workers).
    func testPoolsShutDown() {
        for _ in 0..<50 {
            let pool = ThreadPool(threadCount: 3, spinIterations: 100)
            pool.parallelFor(10) { _ in }
        }
    }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
