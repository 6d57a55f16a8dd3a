import Foundation
import StrataTestSupport

/// `greedy-gemma3.json`: llama.cpp's greedy continuations with per-step top-5 logprobs.
struct GreedyFixture {
    struct Step {
        let id: Int32
        let logprob: Float
        let top: [(id: Int32, logprob: Float)]
    }

    struct Case {
        let prompt: String
        let promptIds: [Int32]
        let completionIds: [Int32]
        let steps: [Step]
    }

    let cases: [Case]

    static func load() throws -> GreedyFixture {
        guard let root = try TestResources.fixtureJSON("greedy-gemma3.json") as? [String: Any],
              let rawCases = root["cases"] as? [[String: Any]]
        else { throw FixtureError.malformed("greedy-gemma3.json") }
        let cases = try rawCases.map { raw -> Case in
            guard let prompt = raw["prompt"] as? String,
                  let promptIds = raw["prompt_ids"] as? [Int],
                  let completionIds = raw["completion_ids"] as? [Int],
                  let rawSteps = raw["steps"] as? [[String: Any]]
            else { throw FixtureError.malformed("greedy-gemma3.json case") }
            let steps = try rawSteps.map { step -> Step in
                guard let id = step["id"] as? Int, let logprob = step["logprob"] as? Double,
                      let top = step["top"] as? [[Double]]
                else { throw FixtureError.malformed("greedy-gemma3.json step") }
                return Step(id: Int32(id), logprob: Float(logprob), top: top.map { (Int32($0[0]), Float($0[1])) })
            }
            return Case(
                prompt: prompt, promptIds: promptIds.map { Int32($0) },
                completionIds: completionIds.map { Int32($0) }, steps: steps
            )
        }
        return GreedyFixture(cases: cases)
    }
}

enum FixtureError: Error {
    case malformed(String)
}
