#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The chosen token of one step with its log-probability and the most likely alternatives,
/// all from the softmax of the raw logits (before any sampling step).
public struct TokenLogprob: Sendable, Equatable {
    /// The chosen token.
    public let token: Int32
    /// Natural log of its probability.
    public let logprob: Float
    /// The `k` most likely tokens with their logprobs, most likely first (lowest id on ties).
    public let top: [(token: Int32, logprob: Float)]

    public init(token: Int32, logprob: Float, top: [(token: Int32, logprob: Float)]) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }

    public static func == (a: TokenLogprob, b: TokenLogprob) -> Bool {
        a.token == b.token && a.logprob == b.logprob
            && a.top.map(\.token) == b.top.map(\.token) && a.top.map(\.logprob) == b.top.map(\.logprob)
    }
}

/// Log-softmax over a row of logits, computed in a fixed order so results are reproducible.
public struct LogSoftmax: Sendable {
    /// The largest logit.
    public let maximum: Float
    /// log Σ exp(logit − maximum).
    public let logSumExp: Double

    /// Normalisation constants of `count` logits.
    public init(_ logits: UnsafePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0 ..< count { maximum = max(maximum, logits[i]) }
        var sum: Double = 0
        for i in 0 ..< count { sum += Double(expf(logits[i] - maximum)) }
        self.maximum = maximum
        logSumExp = log(sum)
    }

    /// The log-probability of a token with logit `logit`.
    @inline(__always)
    public func logprob(_ logit: Float) -> Float {
        Float(Double(logit - maximum) - logSumExp)
    }

    /// The `k` largest logits as (token, logprob), most likely first, lowest id first on ties.
    public func top(_ k: Int, of logits: UnsafePointer<Float>, count: Int) -> [(token: Int32, logprob: Float)] {
        guard k > 0 else { return [] }
        var best: [(token: Int32, logit: Float)] = []
        best.reserveCapacity(k + 1)
        for i in 0 ..< count {
            let logit = logits[i]
            if best.count == k, let last = best.last, logit <= last.logit { continue }
            var index = best.count
            while index > 0, best[index - 1].logit < logit { index -= 1 }
            best.insert((Int32(i), logit), at: index)
            if best.count > k { best.removeLast() }
        }
        return best.map { ($0.token, logprob($0.logit)) }
    }
}
