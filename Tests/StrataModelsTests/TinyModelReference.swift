import Foundation
import StrataTestSupport

/// A tiny random-weight model in `tiny-models/` and its llama.cpp reference
/// (`<model>.reference.json`; see the folder's README).
struct TinyModelReference: Decodable {
    /// The tiny models, by file name without `.gguf`.
    static let names = ["tiny-llama-q4km", "tiny-qwen2-q8"]

    struct Case: Decodable {
        let prompt: String
        let promptIDs: [Int32]
        let generatedIDs: [Int32]
        let generatedLogprobs: [Float]
        /// Per generation step, five `[id, logprob]` pairs, best first.
        let topLogprobs: [[[Double]]]

        enum CodingKeys: String, CodingKey {
            case prompt
            case promptIDs = "prompt_ids"
            case generatedIDs = "generated_ids"
            case generatedLogprobs = "generated_logprobs"
            case topLogprobs = "top_logprobs"
        }
    }

    struct Perplexity: Decodable {
        let textFile: String
        let nTextTokens: Int
        let nScoredTokens: Int
        let lnFinalPPL: Double

        enum CodingKeys: String, CodingKey {
            case textFile = "text_file"
            case nTextTokens = "n_text_tokens"
            case nScoredTokens = "n_scored_tokens"
            case lnFinalPPL = "ln_final_ppl"
        }
    }

    let architecture: String
    let cases: [Case]
    let perplexity: Perplexity

    /// The model file's path; throws (failing the test) when the model or its reference is missing.
    static func load(_ name: String) throws -> (modelPath: String, reference: TinyModelReference) {
        let model = try TestResources.requireFixture("tiny-models/\(name).gguf")
        let json = try TestResources.requireFixture("tiny-models/\(name).reference.json")
        return (model.path, try JSONDecoder().decode(TinyModelReference.self, from: Data(contentsOf: json)))
    }
}
