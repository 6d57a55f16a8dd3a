import StrataGGUF
import StrataTestSupport
import Testing

/// The default model and the shared fixtures open, with the shapes and values we know they have.
struct GGUFRealFileTests {
    @Test func defaultModel() throws {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.dataOffset == 6_525_120)
        #expect(file.metadata.keys.count == 33)
        #expect(file.tensors.count == 236)
        #expect(Set(file.tensors.map(\.name)).count == 236)

        let metadata = file.metadata
        #expect(try metadata.string("general.architecture") == "gemma3")
        #expect(try metadata.integer("gemma3.embedding_length") == 640)
        #expect(try metadata.integer("gemma3.block_count") == 18)
        #expect(try metadata.float("gemma3.attention.layer_norm_rms_epsilon") == 1e-6)
        #expect(try metadata.bool("tokenizer.ggml.add_bos_token"))
        #expect(try metadata.stringArray("general.tags").count == 4)
        let tokens = try metadata.stringArray("tokenizer.ggml.tokens")
        #expect(tokens.count == 262_144)
        #expect(tokens[2] == "<bos>")
        #expect(try metadata.floatArray("tokenizer.ggml.scores").count == 262_144)
        #expect(try metadata.integerArray("tokenizer.ggml.token_type").count == 262_144)

        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .q8_0)
        #expect(embedding.dimensions == [640, 262_144])
        #expect(embedding.offset == 2560)
        #expect(embedding.rowByteCount == 640 / 32 * 34)
        #expect(file.data(for: embedding).count == 262_144 * 640 / 32 * 34)

        var typeCounts: [GGMLType: Int] = [:]
        for tensor in file.tensors {
            typeCounts[tensor.type, default: 0] += 1
            #expect(file.dataOffset + tensor.offset + tensor.byteCount <= file.fileSize)
        }
        #expect(typeCounts == [.f32: 109, .q5_0: 81, .q4_K: 27, .q8_0: 10, .q6_K: 9])
        let last = try #require(file.tensors.max { $0.offset < $1.offset })
        #expect(file.dataOffset + last.offset + last.byteCount == file.fileSize)
    }

    @Test func everyFixtureOpens() throws {
        let vocab = try TestFiles.ggufFiles(in: "vocab")
        let models = try TestFiles.ggufFiles(in: "tiny-models")
        for path in vocab {
            let file = try GGUFFile(path: path)
            #expect(file.tensors.isEmpty, "\(path)")
            #expect(try !file.metadata.stringArray("tokenizer.ggml.tokens").isEmpty, "\(path)")
            #expect(try !file.metadata.string("tokenizer.ggml.model").isEmpty, "\(path)")
        }
        for path in models {
            let file = try GGUFFile(path: path)
            #expect(!file.tensors.isEmpty, "\(path)")
            #expect(try !file.metadata.string("general.architecture").isEmpty, "\(path)")
            for tensor in file.tensors {
                #expect(file.data(for: tensor).count == tensor.byteCount)
                #expect(file.dataOffset + tensor.offset + tensor.byteCount <= file.fileSize)
            }
        }
    }

    /// Real metadata written again by the test builder reads back identically.
    @Test func vocabMetadataRoundTripsThroughTheBuilder() throws {
        for path in try TestFiles.ggufFiles(in: "vocab") {
            let original = try GGUFFile(path: path)
            var builder = GGUFBuilder(version: original.version)
            for key in original.metadata.keys {
                builder.add(key, try #require(original.metadata[key]))
            }
            let copy = try GGUFFile(bytes: builder.build())
            #expect(copy.metadata.keys == original.metadata.keys)
            for key in original.metadata.keys {
                #expect(copy.metadata[key] == original.metadata[key], "\(key) in \(path)")
            }
        }
    }
}
