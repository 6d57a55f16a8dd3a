import CStrataKernels
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of `threadCount - 1` worker threads plus the calling thread, for data-parallel loops.
///
/// `parallelFor` is called ~150 times per generated token, so dispatch is cheap: idle workers spin
/// (with PAUSE) for `spinIterations` before sleeping on a condition variable, work items are claimed
/// with one atomic add each, and the caller never waits for a worker that has not joined the job.
///
/// `@unchecked Sendable`: all cross-thread state lives in `ThreadPoolState`, whose job fields are
/// published with release/acquire atomics and only rewritten when no worker can be reading them
/// (see `ThreadPoolState`). `parallelFor` itself must not be called concurrently or re-entrantly;
/// that is checked.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run loop bodies, the caller included.
    public let threadCount: Int
    private let state: ThreadPoolState
    private var workers: [pthread_t] = []

    /// Starts `threadCount - 1` workers (at least one thread total: the caller).
    ///
    /// - Parameter spinIterations: PAUSE iterations an idle worker spins before it sleeps
    ///   (the default, 20 000, is about 0.5 ms on Zen 3).
    public init(threadCount: Int, spinIterations: Int = 20_000) {
        self.threadCount = max(1, threadCount)
        self.state = ThreadPoolState(spinIterations: spinIterations)
        for _ in 1..<self.threadCount {
            let context = Unmanaged.passRetained(state).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            let rc = pthread_create(&thread, nil, threadPoolWorkerMain, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            workers.append(thread!)
            #else
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, threadPoolWorkerMain, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            workers.append(thread)
            #endif
        }
    }

    deinit {
        state.shutDown()
        for thread in workers {
            pthread_join(thread, nil)
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count` across the pool's threads and returns when all are done.
    ///
    /// Indices are handed out dynamically, so which thread runs which index varies between calls;
    /// bodies must write disjoint outputs. Not re-entrant: `body` must not call `parallelFor`.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if threadCount == 1 || count == 1 {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            state.run(count: count, body: escapable)
        }
    }
}

/// Entry point of a worker thread; `context` is a retained `ThreadPoolState`.
private func threadPoolWorkerMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let state = Unmanaged<ThreadPoolState>.fromOpaque(context).takeRetainedValue()
    state.workerLoop()
    return nil
}
