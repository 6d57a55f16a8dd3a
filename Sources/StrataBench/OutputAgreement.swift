/// `strata bench ab`: whether two runs of the same workload (against two model versions)
/// produced the same outputs, request by request. Pure: it compares recorded records.
public struct OutputAgreement: Sendable, Equatable {
    /// One request's comparison.
    public struct Pair: Sendable, Equatable {
        /// The request id.
        public var id: Int
        /// Both succeeded with identical text.
        public var identical: Bool
        /// Index of the first token that differs (by token when both runs have log probabilities,
        /// else by character); `nil` when identical or when either failed.
        public var firstDivergence: Int?
        /// Largest |logprob A − logprob B| over the tokens before the divergence; `nil` without log probabilities.
        public var maxLogprobDrift: Double?
        /// Mean |logprob A − logprob B| over the same tokens.
        public var meanLogprobDrift: Double?
        /// Whether both requests succeeded.
        public var bothSucceeded: Bool
    }

    /// One pair per request id present in both runs, in id order.
    public var pairs: [Pair]

    /// Compares records of run A with those of run B, matched by id.
    public init(a: [RequestRecord], b: [RequestRecord]) {
        let byID = Dictionary(b.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        pairs = a.sorted { $0.id < $1.id }.compactMap { left in byID[left.id].map { Self.compare(left, $0) } }
    }

    /// Requests both runs completed.
    public var comparable: Int { pairs.filter(\.bothSucceeded).count }
    /// Of those, how many gave identical outputs.
    public var identical: Int { pairs.filter(\.identical).count }
    /// The largest logprob drift seen over all requests.
    public var maxLogprobDrift: Double? { pairs.compactMap(\.maxLogprobDrift).max() }

    static func compare(_ a: RequestRecord, _ b: RequestRecord) -> Pair {
        let succeeded = a.failure == nil && b.failure == nil && a.endedAt != nil && b.endedAt != nil
        guard succeeded else {
            return Pair(id: a.id, identical: false, firstDivergence: nil, maxLogprobDrift: nil, meanLogprobDrift: nil, bothSucceeded: false)
        }
        let identical = a.generatedText == b.generatedText
        var divergence: Int?
        var drifts: [Double] = []
        if !a.tokenLogprobs.isEmpty, !b.tokenLogprobs.isEmpty {
            let common = zip(a.tokenLogprobs, b.tokenLogprobs).prefix { $0.token == $1.token }
            drifts = common.map { abs($0.logprob - $1.logprob) }.filter(\.isFinite)
            if !identical || a.tokenLogprobs.count != b.tokenLogprobs.count { divergence = common.count }
        } else if !identical {
            divergence = zip(a.generatedText, b.generatedText).prefix { $0 == $1 }.count
        }
        return Pair(
            id: a.id, identical: identical, firstDivergence: divergence, maxLogprobDrift: drifts.max(),
            meanLogprobDrift: drifts.isEmpty ? nil : drifts.reduce(0, +) / Double(drifts.count), bothSucceeded: true
        )
    }
}
