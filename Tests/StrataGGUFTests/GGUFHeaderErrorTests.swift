import StrataGGUF
import Testing

/// Magic, version, counts and truncation.
struct GGUFHeaderErrorTests {
    /// A small valid file with metadata of several kinds and two tensors.
    static func smallFile() -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.add("general.architecture", .string("llama"))
        builder.add("n", .uint32(7))
        builder.add("list", .array(elementType: .string, values: [.string("a"), .string("bc")]))
        builder.add("scores", .array(elementType: .float32, values: [.float32(1), .float32(2)]))
        builder.addTensor("a", .f32, dimensions: [4, 2])
        builder.addTensor("b", .q8_0, dimensions: [32])
        return builder
    }

    @Test func badMagic() {
        var builder = GGUFBuilder()
        builder.magic = 0x4755_4747 // "GGUG"
        expectParse(builder.build(), throws: .badMagic(found: 0x4755_4747), naming: ["4755"])
    }

    @Test func bigEndianFileIsRefusedByVersion() {
        var builder = GGUFBuilder()
        builder.version = UInt32(3).byteSwapped
        expectParse(builder.build(), throws: .unsupportedVersion(0x0300_0000))
    }

    @Test(arguments: [UInt32(0), 1, 4, UInt32.max])
    func unsupportedVersion(version: UInt32) {
        expectParse(GGUFBuilder(version: version).build(), throws: .unsupportedVersion(version), naming: ["\(version)"])
    }

    @Test func emptyInput() {
        expectParse([], throws: .truncated(what: "magic", offset: 0), naming: ["magic"])
    }

    /// Every prefix of a file with tensors that cuts the header or data is refused, never a crash.
    /// (Only the padding after the last tensor may go.)
    @Test func everyTruncationThrows() throws {
        let bytes = Self.smallFile().build()
        let file = try GGUFFile(bytes: bytes)
        let end = file.dataOffset + file.tensors.map { $0.offset + $0.byteCount }.max()!
        #expect(end < bytes.count)
        for length in 0 ..< end {
            do {
                _ = try GGUFFile(bytes: Array(bytes[0 ..< length]))
                Issue.record("prefix of \(length) of \(bytes.count) bytes parsed")
            } catch {
                switch error {
                case .truncated, .countTooLarge, .tensorOutOfBounds: break
                default: Issue.record("prefix of \(length) bytes: unexpected \(error)")
                }
            }
        }
        for length in end ... bytes.count {
            #expect(try GGUFFile(bytes: Array(bytes[0 ..< length])).tensors.count == 2)
        }
    }

    /// Without tensors, a prefix parses once the whole header is there (the padding is optional).
    @Test func truncationOfAFileWithoutTensors() throws {
        var builder = Self.smallFile()
        builder.tensors = []
        let bytes = builder.build()
        let headerEnd = builder.headerByteCount
        for length in 0 ..< bytes.count {
            let prefix = Array(bytes[0 ..< length])
            if length < headerEnd {
                #expect(throws: GGUFError.self, "prefix \(length)") { try GGUFFile(bytes: prefix) }
            } else {
                #expect(try GGUFFile(bytes: prefix).metadata.keys.count == 4)
            }
        }
    }

    @Test func truncatedValueNamesItsKey() {
        var builder = GGUFBuilder()
        builder.add("general.name", .string("model"))
        let bytes = builder.build()
        // Header (24) + key (8 + 12) + type (4) + length (8); one byte of "model" is missing.
        expectParse(
            Array(bytes[0 ..< 24 + 20 + 4 + 8 + 4]),
            throws: .truncated(what: "value of metadata key 'general.name'", offset: 48),
            naming: ["general.name"]
        )
    }

    @Test func truncatedTensorInfoNamesItsTensor() {
        var builder = GGUFBuilder()
        builder.addTensor("blk.0.attn_q.weight", .f32, dimensions: [4, 4])
        let headerEnd = builder.headerByteCount
        // Cut in the middle of the second dimension.
        let cut = headerEnd - 8 - 4 - 4
        expectParse(
            Array(builder.build()[0 ..< cut]),
            throws: .truncated(what: "dimensions of tensor 'blk.0.attn_q.weight'", offset: cut - 4),
            naming: ["blk.0.attn_q.weight"]
        )
    }

    @Test(arguments: [UInt64.max, UInt64.max / 2, 1 << 40, 3])
    func hugeTensorCount(count: UInt64) {
        var builder = GGUFBuilder()
        builder.tensorCountOverride = count
        expectParse(builder.build(), throws: .countTooLarge(what: "tensor", count: count), naming: ["tensor", "\(count)"])
    }

    @Test(arguments: [UInt64.max, UInt64.max / 13, 1 << 40, 3])
    func hugeMetadataCount(count: UInt64) {
        var builder = GGUFBuilder()
        builder.metadataCountOverride = count
        expectParse(builder.build(), throws: .countTooLarge(what: "metadata", count: count), naming: ["metadata", "\(count)"])
    }

    @Test(arguments: GGUFValueType.allCases.filter { $0 != .array })
    func hugeArrayLength(elementType: GGUFValueType) {
        for length in [UInt64.max, UInt64.max / 8, UInt64(Int.max), 1 << 33] {
            var builder = GGUFBuilder()
            builder.addRaw(
                "tokenizer.ggml.tokens", type: GGUFValueType.array.rawValue,
                payload: GGUFBuilder.le(elementType.rawValue) + GGUFBuilder.le(length) + [UInt8](repeating: 0, count: 64)
            )
            expectParse(
                builder.build(),
                throws: .countTooLarge(what: "array 'tokenizer.ggml.tokens' element", count: length),
                naming: ["tokenizer.ggml.tokens"]
            )
        }
    }

    @Test func hugeStringLengthInAValue() {
        var builder = GGUFBuilder()
        builder.addRaw("general.name", type: GGUFValueType.string.rawValue, payload: GGUFBuilder.le(UInt64.max) + [1, 2, 3])
        expectParse(
            builder.build(), throws: .truncated(what: "value of metadata key 'general.name'", offset: 48),
            naming: ["general.name"]
        )
    }

    @Test func hugeStringLengthInAnArrayElement() {
        var builder = GGUFBuilder()
        builder.addRaw(
            "tokens", type: GGUFValueType.array.rawValue,
            payload: GGUFBuilder.le(GGUFValueType.string.rawValue) + GGUFBuilder.le(UInt64(2))
                + GGUFBuilder.string("ok") + GGUFBuilder.le(UInt64.max - 7)
        )
        do {
            _ = try GGUFFile(bytes: builder.build())
            Issue.record("parsed")
        } catch {
            guard case let .truncated(what, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(what.contains("'tokens'"))
        }
    }

    @Test func hugeKeyLength() {
        var bytes = GGUFBuilder.le(UInt32(0x4655_4747)) + GGUFBuilder.le(UInt32(3))
        bytes += GGUFBuilder.le(UInt64(0)) + GGUFBuilder.le(UInt64(1)) + GGUFBuilder.le(UInt64.max) + Array("key".utf8)
        bytes += [UInt8](repeating: 0, count: 16)
        expectParse(bytes, throws: .truncated(what: "key of metadata entry 0", offset: 24))
    }

    @Test func hugeTensorNameLength() {
        var builder = GGUFBuilder()
        builder.addRawTensor("x", dimensions: [1], rawType: 0, offset: 0)
        var bytes = builder.build()
        bytes.replaceSubrange(24 ..< 32, with: GGUFBuilder.le(UInt64.max))
        expectParse(bytes, throws: .truncated(what: "name of tensor 0", offset: 24))
    }
}
