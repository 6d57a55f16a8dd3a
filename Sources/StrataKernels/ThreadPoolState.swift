import CStrataKernels
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The state a `ThreadPool` shares with its workers.
///
/// Protocol, for one job:
/// - The caller writes `body` and `count`, resets `nextIndex`, opens the job (`isOpen`, release),
///   bumps `generation` and wakes sleepers.
/// - A worker that sees a new generation registers in `active`, then joins only if the job is
///   still open; it claims indices from `nextIndex` until they run out, then leaves `active` (release).
/// - The caller claims indices too, then closes the job and waits for `active == 0` (acquire).
/// Registration and closing are sequentially consistent, so a worker either sees the job closed
/// or is counted in `active` before the caller stops waiting: the caller never waits for a worker
/// that has not joined, and never returns while one is still running `body`.
///
/// `@unchecked Sendable`: `body` and `count` are only written while the job is closed and no worker
/// is registered as active in it, and only read by workers that registered while it was open.
final class ThreadPoolState: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let nextIndex = Atomic<Int>(0)
    let active = Atomic<Int>(0)
    let isOpen = Atomic<Bool>(false)
    let isRunning = Atomic<Bool>(false)
    let sleepers = Atomic<Int>(0)
    let isShuttingDown = Atomic<Bool>(false)
    let spinIterations: Int
    /// PAUSEs (~25 ns each on Zen 3) the caller spins waiting for workers before it yields.
    static let spinsBeforeYield = 2_000
    private var body: ((Int) -> Void)?
    private var count = 0
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>

    init(spinIterations: Int) {
        self.spinIterations = max(0, spinIterations)
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        wake.deallocate()
    }

    /// Runs one job on the caller and every worker that joins; returns when all indices are done.
    func run(count: Int, body: @escaping (Int) -> Void) {
        let (wasRunning, _) = isRunning.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(!wasRunning, "ThreadPool.parallelFor called concurrently or re-entrantly")
        self.body = body
        self.count = count
        nextIndex.store(0, ordering: .relaxed)
        isOpen.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        claimAndRun(body: body, count: count)
        isOpen.store(false, ordering: .sequentiallyConsistent)
        // A worker still in the job is normally microseconds from done; if it is not (preempted on
        // an oversubscribed machine), yield so it can finish on this core.
        var spins = 0
        while active.load(ordering: .sequentiallyConsistent) != 0 {
            spins += 1
            if spins < Self.spinsBeforeYield {
                strata_cpu_relax()
            } else {
                sched_yield()
            }
        }
        self.body = nil
        isRunning.store(false, ordering: .releasing)
    }

    @inline(__always)
    private func claimAndRun(body: (Int) -> Void, count: Int) {
        while true {
            let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            if index >= count { return }
            body(index)
        }
    }

    /// A worker's life: wait for a new generation, join the job if it is still open, repeat.
    func workerLoop() {
        var seen = 0  // not the current value: a late-starting worker must still see a shutdown
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                if spins < spinIterations {
                    spins += 1
                    strata_cpu_relax()
                } else {
                    sleep(whileGenerationIs: seen)
                    spins = 0
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if isShuttingDown.load(ordering: .acquiring) { return }
            active.add(1, ordering: .sequentiallyConsistent)
            joinIfOpen()
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Runs the open job's remaining indices. Not inlined so the worker's reference to `body` is
    /// released before it leaves `active` (the caller's `withoutActuallyEscaping` checks that).
    @inline(never)
    private func joinIfOpen() {
        guard isOpen.load(ordering: .sequentiallyConsistent), let body else { return }
        claimAndRun(body: body, count: count)
    }

    private func sleep(whileGenerationIs seen: Int) {
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen,
              !isShuttingDown.load(ordering: .sequentiallyConsistent) {
            pthread_cond_wait(wake, mutex)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }

    /// Makes every worker return from `workerLoop` (they then need joining).
    func shutDown() {
        isShuttingDown.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }
}
