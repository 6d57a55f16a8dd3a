import Foundation
import StrataEngine

/// The JSON that `strata generate --json` prints.
struct GenerateReport: Encodable {
    let ids: [Int32]
    let text: String
    let steps: [Step]
    let timings: Timings
    let finishReason: String

    struct Step: Encodable {
        let id: Int32
        let logprob: Float
        let top: [Alternative]
    }

    /// One `[id, logprob]` pair.
    struct Alternative: Encodable {
        let id: Int32
        let logprob: Float

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(id)
            try container.encode(logprob)
        }
    }

    struct Timings: Encodable {
        let promptTokens: Int
        let promptMs: Double
        let generatedTokens: Int
        let generateMs: Double
    }

    init(
        ids: [Int32], text: String, steps: [TokenLogprob], promptTokens: Int, promptSeconds: Double,
        generatedTokens: Int, generateSeconds: Double, finishReason: String
    ) {
        self.ids = ids
        self.text = text
        self.steps = steps.map { step in
            Step(id: step.token, logprob: step.logprob, top: step.top.map { Alternative(id: $0.token, logprob: $0.logprob) })
        }
        timings = Timings(
            promptTokens: promptTokens, promptMs: promptSeconds * 1000,
            generatedTokens: generatedTokens, generateMs: generateSeconds * 1000
        )
        self.finishReason = finishReason
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
