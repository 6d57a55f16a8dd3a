import StrataGGUF
import Testing

/// Valid crafted files parse back to what was written.
struct GGUFRoundTripTests {
    static let scalars: [(String, GGUFValue)] = [
        ("u8", .uint8(0xFE)), ("i8", .int8(-128)), ("u16", .uint16(0xBEEF)), ("i16", .int16(-32768)),
        ("u32", .uint32(0xDEAD_BEEF)), ("i32", .int32(Int32.min)), ("u64", .uint64(UInt64.max)),
        ("i64", .int64(Int64.min)), ("f32", .float32(-1.5)), ("f64", .float64(3.141592653589793)),
        ("yes", .bool(true)), ("no", .bool(false)), ("empty", .string("")),
        ("text", .string("héllo ▁wörld 🦙\0tail")),
    ]

    static let arrays: [GGUFValue] = [
        .array(elementType: .uint8, values: [.uint8(0), .uint8(255)]),
        .array(elementType: .int8, values: [.int8(-1), .int8(127)]),
        .array(elementType: .uint16, values: [.uint16(1), .uint16(65535)]),
        .array(elementType: .int16, values: [.int16(-2), .int16(300)]),
        .array(elementType: .uint32, values: [.uint32(7), .uint32(UInt32.max)]),
        .array(elementType: .int32, values: [.int32(-7), .int32(Int32.max)]),
        .array(elementType: .uint64, values: [.uint64(0), .uint64(UInt64.max)]),
        .array(elementType: .int64, values: [.int64(Int64.min), .int64(9)]),
        .array(elementType: .float32, values: [.float32(0.25), .float32(-Float.infinity)]),
        .array(elementType: .float64, values: [.float64(1e300), .float64(-0.5)]),
        .array(elementType: .bool, values: [.bool(true), .bool(false), .bool(true)]),
        .array(elementType: .string, values: [.string("<s>"), .string(""), .string("▁the")]),
        .array(elementType: .uint32, values: []),
        .array(elementType: .string, values: []),
    ]

    @Test(arguments: [UInt32(2), 3])
    func everyScalarTypeRoundTrips(version: UInt32) throws {
        var builder = GGUFBuilder(version: version)
        for (key, value) in Self.scalars {
            builder.add(key, value)
        }
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.version == version)
        #expect(file.metadata.keys == Self.scalars.map(\.0))
        for (key, value) in Self.scalars {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.tensors.isEmpty)
        #expect(file.alignment == GGUFFile.defaultAlignment)
    }

    @Test(arguments: arrays)
    func arrayOfEachElementTypeRoundTrips(array: GGUFValue) throws {
        var builder = GGUFBuilder()
        builder.add("before", .uint8(1))
        builder.add("array", array)
        builder.add("after", .string("end"))
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.metadata["array"] == array)
        #expect(file.metadata["after"] == .string("end"))
    }

    @Test func typedAccessorsReadEveryCompatibleType() throws {
        var builder = GGUFBuilder()
        for (key, value) in Self.scalars {
            builder.add(key, value)
        }
        builder.add("ints", .array(elementType: .int16, values: [.int16(-3), .int16(4)]))
        builder.add("floats", .array(elementType: .float64, values: [.float64(0.5), .float64(2)]))
        builder.add("tokens", .array(elementType: .string, values: [.string("a"), .string("b")]))
        let metadata = try GGUFFile(bytes: builder.build()).metadata

        #expect(try metadata.integer("u8") == 0xFE)
        #expect(try metadata.integer("i16") == -32768)
        #expect(try metadata.integer("u32") == 0xDEAD_BEEF)
        #expect(try metadata.integer("i64") == Int(Int64.min))
        #expect(try metadata.float("f32") == -1.5)
        #expect(try metadata.float("f64") == Float(3.141592653589793))
        #expect(try metadata.bool("yes"))
        #expect(try !metadata.bool("no"))
        #expect(try metadata.string("text") == "héllo ▁wörld 🦙\0tail")
        #expect(try metadata.integerArray("ints") == [-3, 4])
        #expect(try metadata.floatArray("floats") == [0.5, 2])
        #expect(try metadata.stringArray("tokens") == ["a", "b"])
        #expect(try metadata.stringIfPresent("absent") == nil)
        #expect(try metadata.integerIfPresent("absent") == nil)
        #expect(try metadata.floatIfPresent("absent") == nil)
        #expect(try metadata.boolIfPresent("absent") == nil)
        #expect(try metadata.stringArrayIfPresent("absent") == nil)
        #expect(try metadata.integerArrayIfPresent("absent") == nil)
        #expect(try metadata.floatArrayIfPresent("absent") == nil)
        #expect(metadata.contains("u8"))
        #expect(!metadata.contains("absent"))
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        var builder = GGUFBuilder()
        builder.addRaw("bad", type: GGUFValueType.string.rawValue, payload: GGUFBuilder.le(UInt64(3)) + [0x61, 0xFF, 0x62])
        let file = try GGUFFile(bytes: builder.build())
        #expect(try file.metadata.string("bad") == "a\u{FFFD}b")
    }

    @Test(arguments: [UInt32(2), 3])
    func tensorDataIsReadableWithTheRightBytes(version: UInt32) throws {
        var builder = GGUFBuilder(version: version)
        builder.add("general.architecture", .string("test"))
        builder.addTensor("f32", .f32, dimensions: [3, 2])
        builder.addTensor("q4k", .q4_K, dimensions: [512, 3])
        builder.addTensor("q8", .q8_0, dimensions: [64])
        builder.addTensor("f16", .f16, dimensions: [2, 3, 4, 5])
        builder.addTensor("bf16", .bf16, dimensions: [1, 1, 1, 1])
        let bytes = builder.build()
        let file = try GGUFFile(bytes: bytes)

        #expect(file.tensors.map(\.name) == ["f32", "q4k", "q8", "f16", "bf16"])
        #expect(file.dataOffset % 32 == 0)
        for (tensor, written) in zip(file.tensors, builder.tensors) {
            #expect(tensor.dimensions.map { UInt64($0) } == written.dimensions)
            #expect(tensor.type.rawValue == written.rawType)
            #expect(tensor.byteCount == written.data.count)
            #expect(Array(file.data(for: tensor)) == written.data, "\(tensor.name)")
            #expect(file.tensor(named: tensor.name) == tensor)
        }
        let q4k = try #require(file.tensor(named: "q4k"))
        #expect(q4k.rowLength == 512)
        #expect(q4k.rowCount == 3)
        #expect(q4k.rowByteCount == 2 * 144)
        #expect(q4k.elementCount == 1536)
        #expect(q4k.offset == 32)
        let f16 = try #require(file.tensor(named: "f16"))
        #expect(f16.rowCount == 60)
        #expect(f16.byteCount == 240)
        #expect(file.tensor(named: "missing") == nil)
        #expect(file.fileSize == bytes.count)
    }

    @Test(arguments: [1, 2, 8, 64, 4096, 65536])
    func customAlignmentPlacesDataOnItsBoundaries(alignment: Int) throws {
        var builder = GGUFBuilder()
        builder.setAlignment(alignment)
        builder.addTensor("a", .i8, dimensions: [3])
        builder.addTensor("b", .i16, dimensions: [5])
        builder.addTensor("c", .f64, dimensions: [1])
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        for (tensor, written) in zip(file.tensors, builder.tensors) {
            #expect(tensor.offset % alignment == 0)
            #expect(Array(file.data(for: tensor)) == written.data)
        }
    }

    @Test(arguments: [GGUFValue.uint8(16), .int32(16), .uint64(16), .int64(16)])
    func alignmentMayBeAnyIntegerType(value: GGUFValue) throws {
        var builder = GGUFBuilder()
        builder.alignment = 16
        builder.add("general.alignment", value)
        builder.addTensor("t", .f32, dimensions: [4])
        builder.addTensor("u", .f32, dimensions: [4])
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.alignment == 16)
        #expect(file.tensors.map(\.offset) == [0, 16])
    }

    @Test func tensorsMayBeListedOutOfOffsetOrder() throws {
        var builder = GGUFBuilder()
        builder.addRawTensor("late", dimensions: [8], rawType: GGMLType.f32.rawValue, offset: 64, data: Array(1 ... 32))
        builder.addRawTensor("early", dimensions: [8], rawType: GGMLType.f32.rawValue, offset: 0, data: Array(101 ... 132))
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.tensors.map(\.offset) == [64, 0])
        #expect(Array(file.data(for: file.tensors[0])) == Array(1 ... 32))
        #expect(Array(file.data(for: file.tensors[1])) == Array(101 ... 132))
    }

    @Test func tensorMayEndExactlyAtTheEndOfTheFile() throws {
        var builder = GGUFBuilder()
        builder.addTensor("t", .f32, dimensions: [3]) // 12 bytes, then padding that we drop
        let bytes = Array(builder.build().dropLast(20))
        let file = try GGUFFile(bytes: bytes)
        #expect(file.dataOffset + file.tensors[0].byteCount == bytes.count)
    }

    @Test func zeroTensorsAndZeroMetadata() throws {
        let file = try GGUFFile(bytes: GGUFBuilder().build())
        #expect(file.tensors.isEmpty)
        #expect(file.metadata.keys.isEmpty)
        #expect(file.dataOffset == 32)
    }

    /// Vocab-only files written by llama.cpp end right after the header, without padding to the alignment.
    @Test func zeroTensorsWithoutTrailingPadding() throws {
        var builder = GGUFBuilder()
        builder.padsEmptyDataSection = false
        builder.add("tokenizer.ggml.model", .string("llama"))
        let bytes = builder.build()
        #expect(bytes.count % 32 != 0)
        let file = try GGUFFile(bytes: bytes)
        #expect(try file.metadata.string("tokenizer.ggml.model") == "llama")
        #expect(file.dataOffset == bytes.count)
    }
}
