import Foundation
import Hummingbird
import NIOCore
import StrataEngine

/// `POST /v1/completions`: text (or token-id) prompts continued by the engine.
struct CompletionsRoute: Sendable {
    let router: ModelRouter
    let metrics: ServerMetrics
    let limits: ServerLimits

    /// Answers `request`; generation is cancelled if `closeFuture` (the client's connection or
    /// stream) completes first.
    func respond(to request: Request, closeFuture: EventLoopFuture<Void>) async throws(APIError) -> Response {
        let body = try await JSONBody.decode(CompletionRequest.self, from: request, limit: limits.maxBodyBytes)
        let routed = try router.route(body.parameters.model)
        let model = routed.model
        guard model.isBackendReady() else { throw .backendNotReady }
        if body.echo == true { throw .invalidRequest("'echo' is not supported", param: "echo") }
        if let suffix = body.suffix, !suffix.isEmpty { throw .invalidRequest("'suffix' is not supported", param: "suffix") }
        if let bestOf = body.bestOf, bestOf != (body.parameters.n ?? 1) {
            throw .invalidRequest("'best_of' is supported only when equal to 'n'", param: "best_of")
        }
        if case let .texts(texts) = body.prompt, texts.isEmpty || texts.contains("") {
            throw .invalidRequest("The prompt is empty", param: "prompt")
        }
        let prompts: [[Int32]] = switch body.prompt {
        case let .texts(texts): texts.map { model.encodePrompt($0) }
        case let .tokens(ids): ids
        }
        let defaultTokens = limits.defaultCompletionTokens
        let plan = try GenerationPlan(
            parameters: body.parameters, prompts: prompts, topLogprobs: body.logprobs,
            vocabularySize: model.tokenizer.vocabularySize, defaultMaxTokens: { _ in defaultTokens })
        let run = try await GenerationRun(requests: plan.requests, engine: model.engine, metrics: metrics, cancelledBy: closeFuture, promptParam: "prompt")
        let id = ResponseID.make("cmpl-")
        let created = Int(Date().timeIntervalSince1970)
        let response = plan.stream
            ? stream(run, model: model, plan: plan, id: id, created: created)
            : try await collect(run, model: model, plan: plan, id: id, created: created)
        return response.tagged(with: routed)
    }

    private func collect(_ run: GenerationRun, model: ServedModel, plan: GenerationPlan, id: String, created: Int) async throws(APIError) -> Response {
        let results = try await run.collectResults()
        let tokenizer = model.tokenizer
        let choices = results.enumerated().map { index, result in
            CompletionResponse.Choice(
                index: index, text: result.text,
                logprobs: plan.reportsLogprobs ? CompletionLogprobs(result.logprobs, tokenizer: tokenizer, offset: 0) : nil,
                finishReason: result.finishReason)
        }
        let response = CompletionResponse(
            id: id, created: created, model: model.id, systemFingerprint: model.fingerprint, choices: choices,
            usage: Usage(summaries: results.map(\.summary), n: plan.n))
        return try JSONBody.response(response)
    }

    private func stream(_ run: GenerationRun, model: ServedModel, plan: GenerationPlan, id: String, created: Int) -> Response {
        let body = ResponseBody { writer in
            let encoder = JSONBody.makeEncoder()
            var offsets = [Int](repeating: 0, count: run.count)
            var summaries = [GenerationSummary?](repeating: nil, count: run.count)
            func chunk(_ choice: CompletionResponse.Choice) -> CompletionResponse {
                CompletionResponse(
                    id: id, created: created, model: model.id, systemFingerprint: model.fingerprint, choices: [choice],
                    usage: nil)
            }
            try await run.forEachEvent { index, event in
                switch event {
                case let .output(output):
                    guard !output.text.isEmpty || !output.logprobs.isEmpty else { return }
                    let logprobs = plan.reportsLogprobs
                        ? CompletionLogprobs(output.logprobs, tokenizer: model.tokenizer, offset: offsets[index]) : nil
                    offsets[index] += output.text.count
                    let choice = CompletionResponse.Choice(index: index, text: output.text, logprobs: logprobs, finishReason: nil)
                    try await writer.write(ServerSentEvents.event(chunk(choice), encoder: encoder))
                case let .finished(summary):
                    summaries[index] = summary
                    let choice = CompletionResponse.Choice(
                        index: index, text: "", logprobs: nil, finishReason: ChoiceResult.finishReason(summary.finishReason))
                    try await writer.write(ServerSentEvents.event(chunk(choice), encoder: encoder))
                    if summary.finishReason == .failed {
                        try await writer.write(ServerSentEvents.error(.backendFailed, encoder: encoder))
                    }
                }
            }
            if plan.includeUsage {
                let last = CompletionResponse(
                    id: id, created: created, model: model.id, systemFingerprint: model.fingerprint, choices: [],
                    usage: Usage(summaries: summaries, n: plan.n))
                try await writer.write(ServerSentEvents.event(last, encoder: encoder))
            }
            try await writer.write(ServerSentEvents.done)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: StreamHeaders.sse, body: body)
    }
}

/// Headers of a Server-Sent Events answer.
enum StreamHeaders {
    static let sse: HTTPFields = [.contentType: ServerSentEvents.contentType, .cacheControl: "no-cache"]
}
