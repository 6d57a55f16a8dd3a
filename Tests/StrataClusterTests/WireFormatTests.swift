import StrataEngine
import StrataTestSupport
import XCTest
@testable import StrataCluster

/// Round trips of every frame kind, and refusal (a typed error, never a crash) of truncated,
/// corrupt and out-of-range frames.
final class WireFormatTests: XCTestCase {
    static let sampler = SequenceSampler.Configuration(
        parameters: SamplingParameters(temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05, seed: 42, presencePenalty: 0.5,
                                       frequencyPenalty: 0.25, repetitionPenalty: 1.1, logitBias: [5: -1.5, 3: 2]),
        prompt: [2, 818, 5279], minTokens: 3, endTokens: [1, 106], topLogprobs: 5)

    static func tokenRequest() -> StepRequest {
        StepRequest(
            stepID: 7, input: .tokens([2, 818, 5279, 9]), positions: [0, 1, 2, 17], sequenceIndices: [0, 0, 0, 1],
            blockTables: [[4], [0, 9]], samples: [.init(row: 2, sequenceID: 3), .init(row: 3, sequenceID: 11)],
            newSequences: [.init(id: 3, sampling: sampler), .init(id: 11, sampling: .init(parameters: .greedy, prompt: [2], minTokens: 0, endTokens: [], topLogprobs: nil))],
            removedSequences: [1, 2])
    }

    static func hiddenRequest(_ encoding: HiddenStates.Encoding) -> StepRequest {
        let values: [Float] = (0 ..< 12).map { Float($0) * 0.5 - 2.25 }
        return StepRequest(stepID: .max, input: .hidden(HiddenStates(rows: 3, width: 4, values: values, encoding: encoding)),
                           positions: [5, 6, 7], sequenceIndices: [0, 0, 0], blockTables: [[1]], outputEncoding: .f16)
    }

    func testStepRequestsRoundTrip() throws {
        for request in [Self.tokenRequest(), Self.hiddenRequest(.f32), Self.hiddenRequest(.f16)] {
            XCTAssertEqual(try StepRequest(decoding: request.encoded()), request)
        }
    }

    func testHalfPrecisionHiddenStatesRoundToHalvesAndHalveTheBytes() throws {
        let values: [Float] = [0.1, -3.14159, 65504, 1e-3]
        let hidden = HiddenStates(rows: 1, width: 4, values: values, encoding: .f16)
        let request = StepRequest(stepID: 1, input: .hidden(hidden), positions: [0], sequenceIndices: [0], blockTables: [[0]])
        let decoded = try StepRequest(decoding: request.encoded())
        guard case let .hidden(back) = decoded.input else { return XCTFail("input kind changed") }
        XCTAssertEqual(back.values, values.map { Float(Float16($0)) })
        let f32 = StepRequest(stepID: 1, input: .hidden(HiddenStates(rows: 1, width: 4, values: values)),
                              positions: [0], sequenceIndices: [0], blockTables: [[0]])
        XCTAssertEqual(f32.encoded().count - request.encoded().count, 8)
    }

    func testResponsesAndHandshakeRoundTrip() throws {
        let sampled = StepResponse.sampled(stepID: 9, tokens: [
            SampledToken(token: 5, logprob: nil),
            SampledToken(token: 7, logprob: TokenLogprob(token: 7, logprob: -0.25, top: [(7, -0.25), (3, -1.5)])),
        ])
        let hidden = StepResponse.hidden(stepID: 10, HiddenStates(rows: 2, width: 2, values: [1, 2, 3, 4]))
        for response in [sampled, hidden, .sampled(stepID: 0, tokens: [])] {
            XCTAssertEqual(try StepResponse(decoding: response.encoded()), response)
        }
        let handshake = Handshake(modelDigest: Array(0 ..< 32), firstLayer: 6, lastLayer: 12, layerCount: 18, blockCount: 300,
                                  blockSize: 16, maxBatchTokens: 512, contextLength: 4096, maxRunning: 32,
                                  embeddingWidth: 640, vocabularySize: 262_144, instanceID: 0xDEAD_BEEF)
        XCTAssertEqual(try Handshake(decoding: handshake.encoded()), handshake)
    }

    func testEveryTruncationIsATypedError() {
        let frames = [Self.tokenRequest().encoded(), Self.hiddenRequest(.f16).encoded()]
        for frame in frames {
            for length in 0 ..< frame.count {
                XCTAssertThrowsError(try StepRequest(decoding: Array(frame.prefix(length)))) { error in
                    XCTAssertTrue(error is WireError, "length \(length): \(error)")
                }
            }
        }
        let response = StepResponse.sampled(stepID: 1, tokens: [SampledToken(token: 2, logprob: TokenLogprob(token: 2, logprob: -1, top: [(2, -1)]))]).encoded()
        for length in 0 ..< response.count {
            XCTAssertThrowsError(try StepResponse(decoding: Array(response.prefix(length))))
        }
    }

    func testCorruptHeadersAndFieldsAreRefused() {
        var frame = Self.tokenRequest().encoded()
        XCTAssertThrowsError(try StepRequest(decoding: frame + [0])) { XCTAssertEqual($0 as? WireError, .trailingBytes(1)) }
        frame[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try StepRequest(decoding: frame)) { XCTAssertEqual($0 as? WireError, .badMagic) }
        frame = Self.tokenRequest().encoded()
        frame[4] = 9
        XCTAssertThrowsError(try StepRequest(decoding: frame)) { XCTAssertEqual($0 as? WireError, .unsupportedVersion(9)) }
        XCTAssertThrowsError(try StepRequest(decoding: StepResponse.sampled(stepID: 1, tokens: []).encoded())) {
            XCTAssertEqual($0 as? WireError, .unexpectedKind(2, expected: 1))
        }
        var bad = Self.tokenRequest()
        bad.sequenceIndices[3] = 2  // only two block tables
        XCTAssertThrowsError(try StepRequest(decoding: bad.encoded())) {
            XCTAssertEqual($0 as? WireError, .invalidField("sequenceIndices", reason: "an index is outside the 2 block tables"))
        }
        bad = Self.tokenRequest()
        bad.samples[0].row = 4
        XCTAssertThrowsError(try StepRequest(decoding: bad.encoded())) { error in
            guard case .invalidField("sample.row", _)? = error as? WireError else { return XCTFail("\(error)") }
        }
    }

    func testHugeCountsAreRefusedBeforeAllocating() {
        var writer = WireWriter()
        FrameHeader.write(.sampledTokens, into: &writer)
        writer.integer(UInt64(1))
        writer.integer(UInt32.max)  // claims four billion tokens in a 20-byte frame
        XCTAssertThrowsError(try StepResponse(decoding: writer.bytes)) { error in
            guard case .invalidField("tokens", _)? = error as? WireError else { return XCTFail("\(error)") }
        }
        var limits = WireLimits()
        limits.maxRows = 2
        XCTAssertThrowsError(try StepRequest(decoding: Self.tokenRequest().encoded(), limits: limits))
    }

    func testRandomCorruptionNeverCrashes() {
        var random = SplitMix64(seed: 6)
        let frames = [Self.tokenRequest().encoded(), Self.hiddenRequest(.f32).encoded()]
        var refused = 0
        for index in 0 ..< 4000 {
            var frame = frames[index % 2]
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &random) {
                frame[Int.random(in: 0 ..< frame.count, using: &random)] = UInt8.random(in: 0 ... 255, using: &random)
            }
            do { _ = try StepRequest(decoding: frame) } catch { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 0)
    }
}
