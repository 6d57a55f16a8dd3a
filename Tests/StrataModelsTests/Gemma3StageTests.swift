import StrataGGUF
import StrataModels
import StrataTestSupport
import XCTest

/// Properties of the Gemma 3 forward pass on the real default model.
final class Gemma3StageTests: XCTestCase {
    private static let prompt: [Int32] = [2, 818, 5279, 529, 7001, 563]

    private func logits(
        of model: any LanguageModel, batch: ForwardBatch, rows: [Int], cacheBlocks: Int = 8,
        threads: Int = 2, after: ((ForwardState) -> Void)? = nil
    ) -> [Float] {
        let state = model.makeForwardState(maxTokens: batch.count, maxContext: 128, threads: threads)
        let cache = model.makeKVCache(blockCount: cacheBlocks, blockSize: 16)
        model.forward(batch, state: state, cache: cache)
        var out = [Float](repeating: 0, count: rows.count * model.shape.vocabularySize)
        out.withUnsafeMutableBufferPointer { model.logits(rows: rows, state: state, into: $0.baseAddress!) }
        return out
    }

    func testTwoStagesGiveTheSameLogitsAsOne() throws {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        let full = try ArchitectureRegistry.load(file)
        let batch = ForwardBatch.singleSequence(tokens: Self.prompt, startPosition: 0, blockTable: [0])
        let expected = logits(of: full, batch: batch, rows: [Self.prompt.count - 1])

        let split = 9
        let first = try ArchitectureRegistry.load(file, layers: LayerRange(first: 0, last: split, layerCount: 18))
        let second = try ArchitectureRegistry.load(file, layers: LayerRange(first: split, last: 18, layerCount: 18))
        let width = full.shape.embeddingWidth
        let firstState = first.makeForwardState(maxTokens: batch.count, maxContext: 128, threads: 2)
        first.forward(batch, state: firstState, cache: first.makeKVCache(blockCount: 8, blockSize: 16))
        let secondState = second.makeForwardState(maxTokens: batch.count, maxContext: 128, threads: 2)
        secondState.hidden.update(from: firstState.hidden, count: batch.count * width)
        second.forward(batch, state: secondState, cache: second.makeKVCache(blockCount: 8, blockSize: 16))
        var actual = [Float](repeating: 0, count: full.shape.vocabularySize)
        actual.withUnsafeMutableBufferPointer { second.logits(rows: [batch.count - 1], state: secondState, into: $0.baseAddress!) }
        XCTAssertEqual(actual, expected)
    }

    func testLogitsDoNotDependOnBatchCompositionBlocksOrThreads() throws {
        let model = try ArchitectureRegistry.load(try GGUFFile(path: try TestResources.requireDefaultModel()))
        let alone = logits(
            of: model, batch: .singleSequence(tokens: Self.prompt, startPosition: 0, blockTable: [0]),
            rows: [Self.prompt.count - 1]
        )
        // The same prompt as the second sequence of a batch, in other blocks, on one thread.
        let other: [Int32] = [2, 651, 3823, 8864, 37423, 38167, 1024, 506, 31770]
        let batch = ForwardBatch(
            tokens: other + Self.prompt,
            positions: (0 ..< other.count).map { Int32($0) } + (0 ..< Self.prompt.count).map { Int32($0) },
            sequenceIndices: Array(repeating: 0, count: other.count) + Array(repeating: 1, count: Self.prompt.count),
            blockTables: [[3], [5]]
        )
        let batched = logits(of: model, batch: batch, rows: [batch.count - 1], threads: 1)
        XCTAssertEqual(batched, alone)
    }

    func testChunkedPrefillEqualsOnePass() throws {
        let model = try ArchitectureRegistry.load(try GGUFFile(path: try TestResources.requireDefaultModel()))
        let onePass = logits(
            of: model, batch: .singleSequence(tokens: Self.prompt, startPosition: 0, blockTable: [0]),
            rows: [Self.prompt.count - 1]
        )
        let state = model.makeForwardState(maxTokens: 4, maxContext: 128, threads: 2)
        let cache = model.makeKVCache(blockCount: 4, blockSize: 4)
        model.forward(.singleSequence(tokens: Array(Self.prompt[0 ..< 4]), startPosition: 0, blockTable: [2, 0]), state: state, cache: cache)
        model.forward(.singleSequence(tokens: Array(Self.prompt[4...]), startPosition: 4, blockTable: [2, 0]), state: state, cache: cache)
        var chunked = [Float](repeating: 0, count: model.shape.vocabularySize)
        chunked.withUnsafeMutableBufferPointer { model.logits(rows: [1], state: state, into: $0.baseAddress!) }
        XCTAssertEqual(chunked, onePass)
    }

    func testUnknownArchitectureIsNamed() throws {
        let vocab = TestResources.fixture("vocab/ggml-vocab-gpt-2.gguf").path
        let file = try GGUFFile(path: vocab)
        XCTAssertThrowsError(try ArchitectureRegistry.load(file)) { error in
            XCTAssertEqual(error as? ModelError, .unsupportedArchitecture("gpt2"))
        }
    }
}
