import Foundation
import Hummingbird
import NIOCore
import StrataEngine

/// `POST /v1/chat/completions`: a conversation rendered through the model's chat template.
struct ChatCompletionsRoute: Sendable {
    let router: ModelRouter
    let metrics: ServerMetrics
    let limits: ServerLimits

    /// Answers `request`; generation is cancelled if `closeFuture` (the client's connection or
    /// stream) completes first.
    func respond(to request: Request, closeFuture: EventLoopFuture<Void>) async throws(APIError) -> Response {
        let body = try await JSONBody.decode(ChatCompletionRequest.self, from: request, limit: limits.maxBodyBytes)
        let routed = try router.route(body.parameters.model)
        let model = routed.model
        guard model.isBackendReady() else { throw .backendNotReady }
        if let tools = body.tools, !tools.isEmpty { throw .invalidRequest("'tools' are not supported", param: "tools") }
        if body.topLogprobs != nil, body.logprobs != true {
            throw .invalidRequest("'top_logprobs' needs 'logprobs': true", param: "top_logprobs")
        }
        let prompt = try model.chatPrompt(body.messages)
        let plan = try GenerationPlan(
            parameters: body.parameters, prompts: [prompt],
            topLogprobs: body.logprobs == true ? (body.topLogprobs ?? 0) : nil,
            vocabularySize: model.tokenizer.vocabularySize,
            defaultMaxTokens: { model.remainingTokens(promptTokens: $0) })
        let run = try await GenerationRun(requests: plan.requests, engine: model.engine, metrics: metrics, cancelledBy: closeFuture, promptParam: "messages")
        let id = ResponseID.make("chatcmpl-")
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
            ChatCompletionResponse.Choice(
                index: index, message: .init(role: "assistant", content: result.text),
                logprobs: plan.reportsLogprobs ? ChatLogprobs(result.logprobs, tokenizer: tokenizer) : nil,
                finishReason: result.finishReason)
        }
        let response = ChatCompletionResponse(
            id: id, created: created, model: model.id, systemFingerprint: model.fingerprint, choices: choices,
            usage: Usage(summaries: results.map(\.summary), n: plan.n))
        return try JSONBody.response(response)
    }

    private func stream(_ run: GenerationRun, model: ServedModel, plan: GenerationPlan, id: String, created: Int) -> Response {
        let body = ResponseBody { writer in
            let encoder = JSONBody.makeEncoder()
            var summaries = [GenerationSummary?](repeating: nil, count: run.count)
            func chunk(_ choices: [ChatCompletionChunk.Choice], usage: Usage? = nil) -> ChatCompletionChunk {
                ChatCompletionChunk(
                    id: id, created: created, model: model.id, systemFingerprint: model.fingerprint, choices: choices,
                    usage: usage)
            }
            // The first chunk of each choice carries the role, as OpenAI's.
            let opening = (0 ..< run.count).map {
                ChatCompletionChunk.Choice(index: $0, delta: .init(role: "assistant", content: ""), logprobs: nil, finishReason: nil)
            }
            try await writer.write(ServerSentEvents.event(chunk(opening), encoder: encoder))
            try await run.forEachEvent { index, event in
                switch event {
                case let .output(output):
                    guard !output.text.isEmpty || !output.logprobs.isEmpty else { return }
                    let logprobs = plan.reportsLogprobs ? ChatLogprobs(output.logprobs, tokenizer: model.tokenizer) : nil
                    let choice = ChatCompletionChunk.Choice(
                        index: index, delta: .init(content: output.text), logprobs: logprobs, finishReason: nil)
                    try await writer.write(ServerSentEvents.event(chunk([choice]), encoder: encoder))
                case let .finished(summary):
                    summaries[index] = summary
                    let choice = ChatCompletionChunk.Choice(
                        index: index, delta: .init(), logprobs: nil,
                        finishReason: ChoiceResult.finishReason(summary.finishReason))
                    try await writer.write(ServerSentEvents.event(chunk([choice]), encoder: encoder))
                    if summary.finishReason == .failed {
                        try await writer.write(ServerSentEvents.error(.backendFailed, encoder: encoder))
                    }
                }
            }
            if plan.includeUsage {
                try await writer.write(ServerSentEvents.event(
                    chunk([], usage: Usage(summaries: summaries, n: plan.n)), encoder: encoder))
            }
            try await writer.write(ServerSentEvents.done)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: StreamHeaders.sse, body: body)
    }
}
