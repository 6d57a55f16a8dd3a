import Foundation

/// Runs a `StageExecutor`'s steps one at a time on a queue of its own, so forward passes (long,
/// blocking CPU work) stay off the event loops and Swift's cooperative pool.
final class StageRunner: @unchecked Sendable {
    // Safety: `executor` is touched only on `queue`, a serial queue.
    private let executor: StageExecutor
    private let queue = DispatchQueue(label: "strata-stage")
    /// What this stage has done, for `GET /v1/status`.
    let statistics = WorkerStatisticsRecorder()

    init(_ executor: StageExecutor) { self.executor = executor }

    /// Decodes `frame`, runs the step after the ones before it and encodes the answer, with the
    /// nanoseconds spent here from arrival to answer (waiting for earlier steps included, so
    /// the coordinator can tell transport from time at the worker); a bad frame or step is an error.
    func run(frame: [UInt8]) async -> Result<(bytes: [UInt8], nanoseconds: UInt64), ClusterError> {
        let arrival = DispatchTime.now().uptimeNanoseconds
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                let result: Result<(bytes: [UInt8], nanoseconds: UInt64), ClusterError>
                let start = DispatchTime.now().uptimeNanoseconds
                do {
                    let request = try StepRequest(decoding: frame)
                    let bytes = try self.executor.execute(request).encoded()
                    let end = DispatchTime.now().uptimeNanoseconds
                    statistics.recordStep(rows: request.positions.count, bytesReceived: frame.count, bytesSent: bytes.count,
                                          computeNanoseconds: end - start)
                    result = .success((bytes, end - arrival))
                } catch let error as WireError {
                    result = .failure(.malformed(address: "request", error))
                } catch let error as ClusterError {
                    result = .failure(error)
                } catch {
                    result = .failure(.invalidStep("\(error)"))
                }
                if case .failure = result { statistics.recordFailure(bytesReceived: frame.count) }
                continuation.resume(returning: result)
            }
        }
    }
}
