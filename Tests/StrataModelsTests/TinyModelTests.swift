import Foundation
import StrataEngine
import StrataGGUF
import StrataModels
import StrataTestSupport
import StrataTokenizer
import XCTest

/// The `llama` and `qwen2` architectures against llama.cpp on the random-weight models in
/// `tiny-models/`, with the tolerances of that folder's README: greedy ids equal, teacher-forced
/// top-1 logprob within 0.3 nats, every reference top-5 token's logprob (by id) within 0.8 nats,
/// ln(PPL) within 0.1.
final class TinyModelTests: XCTestCase {
    static let top1Tolerance: Float = 0.3
    static let top5Tolerance: Float = 0.8
    static let lnPerplexityTolerance = 0.1

    func testLlamaGreedyIdsMatchLlamaCpp() throws { try checkGreedy("tiny-llama-q4km") }
    func testQwen2GreedyIdsMatchLlamaCpp() throws { try checkGreedy("tiny-qwen2-q8") }
    func testLlamaTeacherForcedLogprobsMatchLlamaCpp() throws { try checkTeacherForced("tiny-llama-q4km") }
    func testQwen2TeacherForcedLogprobsMatchLlamaCpp() throws { try checkTeacherForced("tiny-qwen2-q8") }
    func testLlamaPerplexityMatchesLlamaCpp() throws { try checkPerplexity("tiny-llama-q4km") }
    func testQwen2PerplexityMatchesLlamaCpp() throws { try checkPerplexity("tiny-qwen2-q8") }
    func testLlamaTwoStagesGiveTheSameLogitsAsOne() throws { try checkTwoStages("tiny-llama-q4km") }
    func testQwen2TwoStagesGiveTheSameLogitsAsOne() throws { try checkTwoStages("tiny-qwen2-q8") }

    func testTinyModelsLoadAsTheirArchitectures() throws {
        for name in TinyModelReference.names {
            let (path, reference) = try TinyModelReference.load(name)
            let model = try ArchitectureRegistry.load(try GGUFFile(path: path))
            XCTAssertEqual(model.architecture, reference.architecture)
            switch reference.architecture {
            case "llama": XCTAssertTrue(model is LlamaModel, name)
            case "qwen2": XCTAssertTrue(model is Qwen2Model, name)
            default: XCTFail("unexpected architecture \(reference.architecture) in \(name)")
            }
        }
    }

    /// Greedy decoding from each recorded prompt gives the recorded 16 ids; the prompt ids are
    /// also what our tokenizer makes of the prompt text.
    private func checkGreedy(_ name: String) throws {
        let (path, reference) = try TinyModelReference.load(name)
        let file = try GGUFFile(path: path)
        let tokenizer = try makeTokenizer(metadata: file.metadata)
        let model = try ArchitectureRegistry.load(file)
        XCTAssertEqual(reference.cases.count, 6)
        var matched = 0, total = 0
        for item in reference.cases {
            XCTAssertEqual(tokenizer.encode(item.prompt, addBOS: tokenizer.addBOSByDefault, parseSpecial: true),
                           item.promptIDs, item.prompt)
            let generator = Generator(model: model, contextLength: item.promptIDs.count + item.generatedIDs.count, threads: 2)
            let result = try generator.generate(prompt: item.promptIDs, maxTokens: item.generatedIDs.count, sampling: .greedy)
            XCTAssertEqual(result.tokens, item.generatedIDs, item.prompt)
            matched += zip(result.tokens, item.generatedIDs).filter { $0 == $1 }.count
            total += item.generatedIDs.count
        }
        print("\(name): greedy ids equal \(matched)/\(total)")
    }

    /// Teacher-forced over prompt + recorded continuation: logprobs of the reference's top-5 by id.
    private func checkTeacherForced(_ name: String) throws {
        let (path, reference) = try TinyModelReference.load(name)
        let model = try ArchitectureRegistry.load(try GGUFFile(path: path))
        let vocabulary = model.shape.vocabularySize
        var top1Errors: [Float] = [], worstTop5: Float = 0, argmaxAgree = 0
        for item in reference.cases {
            let sequence = item.promptIDs + item.generatedIDs.dropLast()
            let rows = Array(item.promptIDs.count - 1 ..< sequence.count)
            let logits = Self.logits(of: model, tokens: sequence, rows: rows)
            for (step, top) in item.topLogprobs.enumerated() {
                let base = step * vocabulary
                let softmax = logits.withUnsafeBufferPointer { LogSoftmax($0.baseAddress! + base, count: vocabulary) }
                let logprob = { (id: Int) in softmax.logprob(logits[base + id]) }
                let argmax = (0 ..< vocabulary).max { logits[base + $0] < logits[base + $1] } ?? -1
                if argmax == Int(item.generatedIDs[step]) { argmaxAgree += 1 }
                let top1 = abs(logprob(Int(item.generatedIDs[step])) - item.generatedLogprobs[step])
                top1Errors.append(top1)
                XCTAssertLessThanOrEqual(top1, Self.top1Tolerance, "\(item.prompt) step \(step) top-1")
                XCTAssertEqual(top.count, 5, "\(item.prompt) step \(step)")
                for pair in top {
                    let error = abs(logprob(Int(pair[0])) - Float(pair[1]))
                    worstTop5 = max(worstTop5, error)
                    XCTAssertLessThanOrEqual(error, Self.top5Tolerance, "\(item.prompt) step \(step) id \(Int(pair[0]))")
                }
            }
        }
        let sorted = top1Errors.sorted()
        print(String(format: "%@: teacher-forced argmax %d/%d, top-1 logprob error median %.3g max %.3g, worst top-5 %.3g",
                     name, argmaxAgree, sorted.count, sorted[sorted.count / 2], sorted.last ?? 0, worstTop5))
    }

    /// llama-perplexity's protocol on the recorded text, ctx 128.
    private func checkPerplexity(_ name: String) throws {
        let (path, reference) = try TinyModelReference.load(name)
        let file = try GGUFFile(path: path)
        let tokenizer = try makeTokenizer(metadata: file.metadata)
        let text = try String(contentsOfFile: reference.perplexity.textFile, encoding: .utf8)
        let tokens = tokenizer.encode(text, addBOS: tokenizer.addBOSByDefault, parseSpecial: false)
        XCTAssertEqual(tokens.count, reference.perplexity.nTextTokens)
        let model = try ArchitectureRegistry.load(file)
        let bos = tokenizer.addBOSByDefault ? tokenizer.specialTokens.bos : nil
        let result = try PerplexityEvaluator(model: model, context: 128, threads: 2).evaluate(tokens: tokens, bos: bos)
        XCTAssertEqual(result.scoredTokens, reference.perplexity.nScoredTokens)
        let lnPerplexity = log(result.perplexity)
        XCTAssertEqual(lnPerplexity, reference.perplexity.lnFinalPPL, accuracy: Self.lnPerplexityTolerance)
        print(String(format: "%@: ln PPL %.4f vs llama.cpp %.4f (difference %.4f)", name, lnPerplexity,
                     reference.perplexity.lnFinalPPL, lnPerplexity - reference.perplexity.lnFinalPPL))
    }

    /// Layers [0, k) then [k, n), handing over the hidden states, give the one-stage logits bit for bit.
    private func checkTwoStages(_ name: String) throws {
        let (path, reference) = try TinyModelReference.load(name)
        let file = try GGUFFile(path: path)
        let full = try ArchitectureRegistry.load(file)
        let item = try XCTUnwrap(reference.cases.first)
        let tokens = item.promptIDs + item.generatedIDs
        let rows = Array(0 ..< tokens.count)
        let expected = Self.logits(of: full, tokens: tokens, rows: rows)

        let layerCount = full.shape.layerCount
        XCTAssertGreaterThanOrEqual(layerCount, 2)
        let split = layerCount / 2
        let first = try ArchitectureRegistry.load(file, layers: LayerRange(first: 0, last: split, layerCount: layerCount))
        let second = try ArchitectureRegistry.load(file, layers: LayerRange(first: split, last: layerCount, layerCount: layerCount))
        XCTAssertEqual(first.layers.count + second.layers.count, layerCount)
        let batch = ForwardBatch.singleSequence(tokens: tokens, startPosition: 0, blockTable: [0, 1])
        let firstState = first.makeForwardState(maxTokens: batch.count, maxContext: 32, threads: 2)
        first.forward(batch, state: firstState, cache: first.makeKVCache(blockCount: 2, blockSize: 16))
        let secondState = second.makeForwardState(maxTokens: batch.count, maxContext: 32, threads: 2)
        secondState.hidden.update(from: firstState.hidden, count: batch.count * full.shape.embeddingWidth)
        second.forward(batch, state: secondState, cache: second.makeKVCache(blockCount: 2, blockSize: 16))
        var actual = [Float](repeating: 0, count: rows.count * full.shape.vocabularySize)
        actual.withUnsafeMutableBufferPointer { second.logits(rows: rows, state: secondState, into: $0.baseAddress!) }
        XCTAssertTrue(actual == expected, "\(name): two-stage logits differ from one stage")
        XCTAssertTrue(expected.allSatisfy(\.isFinite))
    }

    /// Logits of `rows` after one forward pass over `tokens` (a single sequence from position 0).
    static func logits(of model: any LanguageModel, tokens: [Int32], rows: [Int]) -> [Float] {
        let blockSize = 16
        let blocks = (tokens.count + blockSize - 1) / blockSize
        let state = model.makeForwardState(maxTokens: tokens.count, maxContext: blocks * blockSize, threads: 2)
        let cache = model.makeKVCache(blockCount: blocks, blockSize: blockSize)
        model.forward(.singleSequence(tokens: tokens, startPosition: 0, blockTable: (0 ..< blocks).map { Int32($0) }),
                      state: state, cache: cache)
        var out = [Float](repeating: 0, count: rows.count * model.shape.vocabularySize)
        out.withUnsafeMutableBufferPointer { model.logits(rows: rows, state: state, into: $0.baseAddress!) }
        return out
    }
}
