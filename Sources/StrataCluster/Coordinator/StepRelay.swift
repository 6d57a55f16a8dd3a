import Dispatch
import NIOCore
import StrataEngine

/// One step's trip through a pipeline: the step's tokens go to stage 1, each stage's hidden
/// states are relayed to the next (workers never talk to each other), and the last stage's
/// sampled tokens come back. Runs on the event loops, so several steps travel at once.
struct StepRelay: Sendable {
    /// The step as the last stage gets it (samples, new and removed sequences); earlier stages
    /// get it without those, and with the previous stage's hidden states as input.
    let request: StepRequest

    /// What a completed trip brought back and cost.
    struct Outcome: Sendable {
        /// The last stage's chosen tokens, in `request.samples` order.
        var tokens: [SampledToken] = []
        /// Per stage: round trip minus the time the worker reported spending on the step.
        var hopNanoseconds: [UInt64] = []
        /// Frame bytes sent and received (HTTP/2 framing not counted).
        var bytesSent = 0
        var bytesReceived = 0
    }

    /// Sends the step through `stages` over `connections` (one per stage), each hop failing at
    /// `deadline`.
    func run(through stages: [StageClient], on connections: [StageConnection], deadline: NIODeadline,
             eventLoop: any EventLoop) -> EventLoopFuture<Outcome> {
        guard !stages.isEmpty, stages.count == connections.count else {
            return eventLoop.makeFailedFuture(ClusterError.topology("a pipeline needs at least one worker"))
        }
        return hop(0, input: request.input, outcome: Outcome(), stages: stages, connections: connections, deadline: deadline)
    }

    private func hop(_ index: Int, input: StepRequest.Input, outcome: Outcome, stages: [StageClient],
                     connections: [StageConnection], deadline: NIODeadline) -> EventLoopFuture<Outcome> {
        let stage = stages[index]
        let isLast = index == stages.count - 1
        var stepRequest = request
        stepRequest.input = input
        if !isLast {
            stepRequest.samples = []
            stepRequest.newSequences = []
            stepRequest.removedSequences = []
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let frame = stepRequest.encoded()
        let stepID = request.stepID, rows = request.rowCount, samples = request.samples.count
        return stage.step(frame, on: connections[index], deadline: deadline).flatMap { reply in
            let roundTrip = DispatchTime.now().uptimeNanoseconds - start
            var outcome = outcome
            outcome.bytesSent += frame.count
            outcome.bytesReceived += reply.body.count
            outcome.hopNanoseconds.append(roundTrip - min(roundTrip, reply.computeNanoseconds ?? 0))
            let response: StepResponse
            do throws(WireError) { response = try StepResponse(decoding: reply.body) } catch {
                return connections[index].eventLoop.makeFailedFuture(ClusterError.malformed(address: stage.address.description, error))
            }
            switch response {
            case let .hidden(id, hidden) where !isLast && id == stepID && hidden.rows == rows:
                return hop(index + 1, input: .hidden(hidden), outcome: outcome, stages: stages, connections: connections,
                           deadline: deadline)
            case let .sampled(id, tokens) where isLast && id == stepID && tokens.count == samples:
                outcome.tokens = tokens
                return connections[index].eventLoop.makeSucceededFuture(outcome)
            default:
                return connections[index].eventLoop.makeFailedFuture(ClusterError.invalidStep(
                    "stage \(index + 1) (\(stage.address)) answered step \(stepID) with the wrong frame"))
            }
        }
    }
}
