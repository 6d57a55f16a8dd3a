import StrataEngine

/// Everything one choice produced, gathered for a non-streamed answer.
struct ChoiceResult: Sendable {
    var text = ""
    var logprobs: [TokenLogprob] = []
    var summary: GenerationSummary?

    /// Adds an event of this choice.
    mutating func add(_ event: GenerationEvent) {
        switch event {
        case let .output(output):
            text += output.text
            logprobs += output.logprobs
        case let .finished(summary):
            self.summary = summary
        }
    }

    /// OpenAI's `finish_reason`.
    var finishReason: String { summary.map { Self.finishReason($0.finishReason) } ?? "abort" }

    /// `stop` and `length` as OpenAI; a request ended by shutdown or cancellation reports
    /// `abort`, one whose steps failed `error` (only in a stream: a whole answer is a 503).
    static func finishReason(_ reason: GenerationSummary.FinishReason) -> String {
        switch reason {
        case .stop: "stop"
        case .length: "length"
        case .cancelled, .abort: "abort"
        case .failed: "error"
        }
    }
}

extension Usage {
    /// The usage of `summaries` (in choice order, `n` per prompt): each prompt counts once,
    /// every choice's completion tokens count.
    init(summaries: [GenerationSummary?], n: Int) {
        var prompt = 0, cached = 0, completion = 0
        for (index, summary) in summaries.enumerated() {
            guard let summary else { continue }
            if index % n == 0 {
                prompt += summary.promptTokens
                cached += summary.cachedPromptTokens
            }
            completion += summary.completionTokens
        }
        self.init(promptTokens: prompt, completionTokens: completion, cachedTokens: cached)
    }
}

/// Response ids: a prefix and 24 random hex digits.
enum ResponseID {
    static func make(_ prefix: String) -> String {
        let a = String(UInt64.random(in: 0 ... UInt64.max), radix: 16)
        let b = String(UInt32.random(in: 0 ... UInt32.max), radix: 16)
        return prefix + String(repeating: "0", count: 16 - a.count) + a + String(repeating: "0", count: 8 - b.count) + b
    }
}

extension GenerationRun {
    /// Every choice's tokens, text, logprobs and finish reason once the run is over (the
    /// non-streamed responses).
    func collectResults() async throws(APIError) -> [ChoiceResult] {
        var results = [ChoiceResult](repeating: .init(), count: count)
        do {
            try await forEachEvent { index, event in results[index].add(event) }
        } catch {
            throw .internalError("generation failed: \(error)")
        }
        if results.contains(where: { $0.summary?.finishReason == .failed }) { throw .backendFailed }
        return results
    }
}
