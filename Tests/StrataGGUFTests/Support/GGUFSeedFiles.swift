#if canImport(StrataGGUF)
import StrataGGUF
#endif

/// Small valid GGUF files that the fuzzers mutate; also written out as the libFuzzer seed corpus.
enum GGUFSeedFiles {
    /// Crafted files covering every value type, v2 and v3, several tensor types and alignments.
    static func crafted() -> [[UInt8]] {
        var allTypes = GGUFBuilder()
        allTypes.add("general.architecture", .string("llama"))
        allTypes.add("u8", .uint8(1))
        allTypes.add("i8", .int8(-1))
        allTypes.add("u16", .uint16(2))
        allTypes.add("i16", .int16(-2))
        allTypes.add("u32", .uint32(3))
        allTypes.add("i32", .int32(-3))
        allTypes.add("u64", .uint64(4))
        allTypes.add("i64", .int64(-4))
        allTypes.add("f32", .float32(0.5))
        allTypes.add("f64", .float64(0.25))
        allTypes.add("b", .bool(true))
        allTypes.add("tokens", .array(elementType: .string, values: [.string("<s>"), .string("▁a"), .string("")]))
        allTypes.add("scores", .array(elementType: .float32, values: [.float32(0), .float32(-1)]))
        allTypes.add("types", .array(elementType: .int32, values: [.int32(1), .int32(3)]))
        allTypes.add("flags", .array(elementType: .bool, values: [.bool(false), .bool(true)]))
        allTypes.add("bytes", .array(elementType: .uint8, values: [.uint8(9)]))
        allTypes.add("wide", .array(elementType: .uint64, values: [.uint64(1)]))

        var tensors = GGUFBuilder()
        tensors.add("general.architecture", .string("gemma3"))
        tensors.addTensor("token_embd.weight", .q8_0, dimensions: [32, 4])
        tensors.addTensor("blk.0.attn_q.weight", .q4_K, dimensions: [256, 2])
        tensors.addTensor("output_norm.weight", .f32, dimensions: [32])
        tensors.addTensor("blk.0.ffn.weight", .f16, dimensions: [2, 3, 4])
        tensors.addTensor("x4", .i8, dimensions: [1, 2, 1, 3])

        var v2 = tensors
        v2.version = 2

        var aligned = GGUFBuilder()
        aligned.setAlignment(8)
        aligned.add("name", .string("aligned"))
        aligned.addTensor("a", .i16, dimensions: [3])
        aligned.addTensor("b", .f64, dimensions: [2])

        var vocabOnly = GGUFBuilder()
        vocabOnly.padsEmptyDataSection = false
        vocabOnly.add("tokenizer.ggml.model", .string("gpt2"))
        vocabOnly.add("tokenizer.ggml.merges", .array(elementType: .string, values: [.string("a b"), .string("ab c")]))

        return [allTypes.build(), tensors.build(), v2.build(), aligned.build(), vocabOnly.build(), GGUFBuilder().build()]
    }

    /// The metadata of a real file written again with every array cut to `arrayLimit` elements:
    /// a small, self-consistent header with real keys and values.
    static func reduced(_ file: GGUFFile, arrayLimit: Int = 32) -> [UInt8] {
        var builder = GGUFBuilder(version: file.version)
        builder.padsEmptyDataSection = false
        for key in file.metadata.keys {
            guard var value = file.metadata[key] else { continue }
            if case let .array(elementType, values) = value {
                value = .array(elementType: elementType, values: Array(values.prefix(arrayLimit)))
            }
            builder.add(key, value)
        }
        return builder.build()
    }
}
