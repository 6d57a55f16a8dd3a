import StrataEngine

/// A stage's answer to a step: the sampled tokens (last stage) or the hidden states to relay to
/// the next stage. Logits never leave the last stage.
public enum StepResponse: Sendable, Equatable {
    /// One token per requested sample, in the request's order.
    case sampled(stepID: UInt64, tokens: [SampledToken])
    /// The stage's output rows.
    case hidden(stepID: UInt64, HiddenStates)

    /// The step this answers.
    public var stepID: UInt64 {
        switch self {
        case let .sampled(stepID, _), let .hidden(stepID, _): stepID
        }
    }

    /// Sampled tokens frame: header (kind 2), step id u64, count u32, then per token: i32 token,
    /// u8 logprob flag, and when set f32 logprob, u32 alternatives, each i32 token and f32 logprob.
    /// Hidden states frame: header (kind 3), step id u64, then the hidden states.
    public func encoded() -> [UInt8] {
        var writer = WireWriter()
        switch self {
        case let .sampled(stepID, tokens):
            FrameHeader.write(.sampledTokens, into: &writer)
            writer.integer(stepID)
            writer.integer(UInt32(tokens.count))
            for token in tokens {
                writer.integer(token.token)
                guard let logprob = token.logprob else {
                    writer.u8(0)
                    continue
                }
                writer.u8(1)
                writer.f32(logprob.logprob)
                writer.integer(UInt32(logprob.top.count))
                for alternative in logprob.top {
                    writer.integer(alternative.token)
                    writer.f32(alternative.logprob)
                }
            }
        case let .hidden(stepID, hidden):
            FrameHeader.write(.hiddenStates, into: &writer)
            writer.integer(stepID)
            hidden.write(into: &writer)
        }
        return writer.bytes
    }

    /// Decodes and validates a response frame of either kind.
    public init(decoding bytes: [UInt8], limits: WireLimits = WireLimits()) throws(WireError) {
        var reader = WireReader(bytes)
        let kind = try FrameHeader.read(from: &reader)
        let stepID = try reader.integer(UInt64.self, "stepID")
        switch kind {
        case .sampledTokens:
            let count = try reader.count("tokens", limit: limits.maxSequences, elementSize: 5)
            var tokens: [SampledToken] = []
            tokens.reserveCapacity(count)
            for _ in 0 ..< count {
                let token = try reader.integer(Int32.self, "token")
                let flag = try reader.u8("token.logprobFlag")
                switch flag {
                case 0: tokens.append(SampledToken(token: token, logprob: nil))
                case 1:
                    let logprob = try reader.f32("token.logprob")
                    let topCount = try reader.count("token.top", limit: limits.maxListLength, elementSize: 8)
                    var top: [(token: Int32, logprob: Float)] = []
                    for _ in 0 ..< topCount {
                        top.append((try reader.integer(Int32.self, "top.token"), try reader.f32("top.logprob")))
                    }
                    tokens.append(SampledToken(token: token, logprob: TokenLogprob(token: token, logprob: logprob, top: top)))
                default: throw .invalidField("token.logprobFlag", reason: "must be 0 or 1, got \(flag)")
                }
            }
            try reader.finish()
            self = .sampled(stepID: stepID, tokens: tokens)
        case .hiddenStates:
            let hidden = try HiddenStates.read(from: &reader, limits: limits)
            try reader.finish()
            self = .hidden(stepID: stepID, hidden)
        case .stepRequest, .handshake:
            throw .unexpectedKind(kind.rawValue, expected: FrameKind.sampledTokens.rawValue)
        }
    }
}
