#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses tokens from logits by the steps of `SamplingParameters`, with its own seeded random
/// source, so the same parameters and logits always give the same tokens.
public struct Sampler: Sendable {
    /// The parameters this sampler applies.
    public let parameters: SamplingParameters
    private var random: RandomSource
    private var candidates: [Candidate] = []

    private struct Candidate {
        let token: Int32
        var weight: Float
    }

    /// Tokens whose scaled logit is this far below the best have a probability under e⁻⁴⁰ of
    /// the best one's, below f32 resolution of any cumulative sum; they are never candidates.
    private static let negligibleLogitGap: Float = 40

    /// A sampler for `parameters`; seeded from the system when `parameters.seed` is nil.
    public init(parameters: SamplingParameters) {
        self.parameters = parameters
        var system = SystemRandomNumberGenerator()
        random = RandomSource(seed: parameters.seed ?? system.next())
    }

    /// Picks the next token from `count` logits.
    public mutating func sample(_ logits: UnsafePointer<Float>, count: Int) -> Int32 {
        guard parameters.temperature > 0 else { return Self.argmax(logits, count: count) }
        collectCandidates(logits, count: count)
        applyTopK()
        toProbabilities()
        applyTopP()
        applyMinP()
        return draw()
    }

    /// The index of the largest logit (the lowest such index on ties).
    public static func argmax(_ logits: UnsafePointer<Float>, count: Int) -> Int32 {
        var best = 0
        for i in 1 ..< max(count, 1) where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    /// Scaled logits of every token that can matter, sorted most likely first (lowest id on ties).
    private mutating func collectCandidates(_ logits: UnsafePointer<Float>, count: Int) {
        let inverseTemperature = 1 / parameters.temperature
        var maximum = -Float.infinity
        for i in 0 ..< count { maximum = max(maximum, logits[i]) }
        let floor = (maximum * inverseTemperature) - Self.negligibleLogitGap
        candidates.removeAll(keepingCapacity: true)
        for i in 0 ..< count {
            let scaled = logits[i] * inverseTemperature
            if scaled >= floor { candidates.append(Candidate(token: Int32(i), weight: scaled)) }
        }
        candidates.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.token < $1.token) }
    }

    private mutating func applyTopK() {
        let k = parameters.topK
        if k > 0, k < candidates.count { candidates.removeLast(candidates.count - k) }
    }

    /// Turns scaled logits into probabilities normalised over the remaining candidates.
    private mutating func toProbabilities() {
        guard let best = candidates.first?.weight else { return }
        var total: Float = 0
        for i in candidates.indices {
            candidates[i].weight = expf(candidates[i].weight - best)
            total += candidates[i].weight
        }
        for i in candidates.indices { candidates[i].weight /= total }
    }

    private mutating func applyTopP() {
        let p = parameters.topP
        guard p < 1 else { return }
        var cumulative: Float = 0
        for i in candidates.indices {
            cumulative += candidates[i].weight
            if cumulative >= p {
                candidates.removeLast(candidates.count - i - 1)
                return
            }
        }
    }

    private mutating func applyMinP() {
        let p = parameters.minP
        guard p > 0, let best = candidates.first?.weight else { return }
        let threshold = best * p
        if let cut = candidates.firstIndex(where: { $0.weight < threshold }) {
            candidates.removeLast(candidates.count - cut)
        }
    }

    private mutating func draw() -> Int32 {
        guard let first = candidates.first else { return 0 }
        var total: Double = 0
        for candidate in candidates { total += Double(candidate.weight) }
        var target = random.nextUnitDouble() * total
        for candidate in candidates {
            target -= Double(candidate.weight)
            if target < 0 { return candidate.token }
        }
        return candidates.last?.token ?? first.token
    }
}
