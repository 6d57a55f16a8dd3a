import StrataGGUF
import StrataModels
import StrataTestSupport
import XCTest

/// `llama` and `qwen2` refuse files they cannot run with a typed error naming what is wrong.
final class DecoderLoadErrorTests: XCTestCase {
    /// The vocab-only fixtures declare `llama` and `qwen2` but hold no tensors.
    func testVocabOnlyFilesNameTheMissingEmbedding() throws {
        for name in ["ggml-vocab-llama-spm", "ggml-vocab-llama-bpe", "ggml-vocab-qwen2"] {
            let file = try GGUFFile(path: try TestResources.requireFixture("vocab/\(name).gguf").path)
            XCTAssertThrowsError(try ArchitectureRegistry.load(file), name) { error in
                XCTAssertEqual(error as? ModelError, .missingTensor("token_embd.weight"), name)
            }
        }
    }

    func testLayerRangeOfAnotherModelIsRefused() throws {
        let path = try TestResources.requireFixture("tiny-models/tiny-llama-q4km.gguf").path
        let file = try GGUFFile(path: path)
        XCTAssertEqual(try ArchitectureRegistry.layerCount(of: file), 2)
        let tooMany = try LayerRange(first: 0, last: 3, layerCount: 5)
        XCTAssertThrowsError(try ArchitectureRegistry.load(file, layers: tooMany)) { error in
            XCTAssertEqual(error as? ModelError, .invalidLayerRange(first: 0, last: 3, layerCount: 2))
        }
    }

}
