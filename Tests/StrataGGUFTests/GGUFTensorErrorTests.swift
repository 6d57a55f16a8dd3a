import StrataGGUF
import Testing

/// Invalid tensor infos: names, dimensions, types, offsets and overlap.
struct GGUFTensorErrorTests {
    static let f32 = GGMLType.f32.rawValue

    /// A file with one valid tensor before the one under test, so errors must name the right one.
    static func builder() -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.add("general.architecture", .string("llama"))
        builder.addTensor("token_embd.weight", .f32, dimensions: [8, 4])
        return builder
    }

    @Test func duplicateTensor() {
        var builder = Self.builder()
        builder.addTensor("output.weight", .f32, dimensions: [8])
        builder.addTensor("token_embd.weight", .f32, dimensions: [8])
        expectParse(builder.build(), throws: .duplicateTensor("token_embd.weight"), naming: ["token_embd.weight"])
    }

    @Test(arguments: [0, 5, 6, Int(UInt32.max)])
    func dimensionCountOutOfRange(count: Int) {
        var builder = Self.builder()
        builder.addRawTensor("bad", dimensions: Array(repeating: 1, count: min(count, 6)), rawType: Self.f32, offset: 128)
        var bytes = builder.build()
        if count > 6 {
            // Only the count field says so; the dimensions that follow are what they are.
            let countOffset = builder.headerByteCount - 8 - 4 - 6 * 8 - 4
            bytes.replaceSubrange(countOffset ..< countOffset + 4, with: GGUFBuilder.le(UInt32(count)))
        }
        expectParse(bytes, throws: .invalidDimensions(tensor: "bad", dimensions: []), naming: ["bad"])
    }

    @Test(arguments: [[UInt64(0)], [4, 0], [1, 1, 1, 0], [UInt64.max], [4, UInt64(Int.max)], [UInt64(Int.max / 2) + 1]])
    func invalidDimension(dimensions: [UInt64]) {
        var builder = Self.builder()
        builder.addRawTensor("blk.0.ffn_up.weight", dimensions: dimensions, rawType: Self.f32)
        expectParse(
            builder.build(), throws: .invalidDimensions(tensor: "blk.0.ffn_up.weight", dimensions: dimensions),
            naming: ["blk.0.ffn_up.weight"]
        )
    }

    @Test(arguments: [
        [UInt64(1) << 32, 1 << 32], [1 << 31, 1 << 31, 2], [65536, 65536, 65536, 65536], [UInt64(Int.max / 2), 2],
    ])
    func elementCountOverflow(dimensions: [UInt64]) {
        var builder = Self.builder()
        builder.addRawTensor("big", dimensions: dimensions, rawType: Self.f32)
        expectParse(builder.build(), throws: .elementCountOverflow(tensor: "big"), naming: ["big"])
    }

    /// The element count fits in `Int` but the byte count does not.
    @Test(arguments: [
        (GGMLType.f64, [UInt64(1) << 61]), (.f32, [1 << 61]), (.i64, [1 << 40, 1 << 21]),
        (.i64, [1 << 60]), (.f32, [UInt64(Int.max / 2)]),
    ])
    func byteCountOverflow(type: GGMLType, dimensions: [UInt64]) {
        var builder = Self.builder()
        builder.addRawTensor("huge", dimensions: dimensions, rawType: type.rawValue)
        expectParse(builder.build(), throws: .elementCountOverflow(tensor: "huge"), naming: ["huge"])
    }

    @Test(arguments: [UInt32(4), 5, 31, 36, 40, 1000, UInt32.max])
    func unknownTensorType(rawType: UInt32) {
        var builder = Self.builder()
        builder.addRawTensor("blk.3.attn_k.weight", dimensions: [256], rawType: rawType)
        expectParse(
            builder.build(), throws: .unknownTensorType(tensor: "blk.3.attn_k.weight", rawType: rawType),
            naming: ["blk.3.attn_k.weight"]
        )
    }

    @Test(arguments: [(GGMLType.q4_K, 100), (.q4_K, 128), (.q8_0, 48), (.q6_K, 257), (.iq4_NL, 1)])
    func rowNotBlockAligned(type: GGMLType, rowLength: Int) {
        var builder = Self.builder()
        builder.addRawTensor("blk.0.attn_v.weight", dimensions: [UInt64(rowLength), 4], rawType: type.rawValue)
        expectParse(
            builder.build(), throws: .rowNotBlockAligned(tensor: "blk.0.attn_v.weight", type: type, rowLength: rowLength),
            naming: ["blk.0.attn_v.weight", type.description]
        )
    }

    @Test(arguments: [UInt64(16), 130, 1, UInt64.max])
    func misalignedOffset(offset: UInt64) {
        var builder = Self.builder()
        builder.addRawTensor("norm", dimensions: [4], rawType: Self.f32, offset: offset)
        expectParse(builder.build(), throws: .misalignedTensor(tensor: "norm", offset: offset), naming: ["norm"])
    }

    @Test func tensorOutOfBounds() {
        var builder = Self.builder()
        builder.addTensor("output.weight", .f32, dimensions: [8])
        let bytes = builder.build()
        let dataSize = bytes.count - (builder.headerByteCount + 31) / 32 * 32
        // The last tensor's 32 bytes are present; drop one.
        expectParse(
            Array(bytes.dropLast(1)),
            throws: .tensorOutOfBounds(tensor: "output.weight", offset: 128, byteCount: 32, dataSize: dataSize - 1),
            naming: ["output.weight"]
        )
    }

    @Test(arguments: [UInt64(4096), UInt64.max - 31, 1 << 63])
    func tensorOffsetPastTheEnd(offset: UInt64) {
        var builder = Self.builder()
        builder.addRawTensor("far", dimensions: [8], rawType: Self.f32, offset: offset)
        let bytes = builder.build()
        let dataSize = bytes.count - (builder.headerByteCount + 31) / 32 * 32
        expectParse(
            bytes, throws: .tensorOutOfBounds(tensor: "far", offset: offset, byteCount: 32, dataSize: dataSize),
            naming: ["far"]
        )
    }

    @Test func tensorWithoutDataInAVocabOnlyFile() {
        var builder = GGUFBuilder()
        builder.padsEmptyDataSection = false
        builder.add("x", .uint8(1))
        builder.addRawTensor("t", dimensions: [1], rawType: GGMLType.i8.rawValue, offset: 0)
        let bytes = Array(builder.build().prefix(builder.headerByteCount)) // ends before the padding
        expectParse(bytes, throws: .tensorOutOfBounds(tensor: "t", offset: 0, byteCount: 1, dataSize: 0), naming: ["t"])
    }

    @Test func overlappingTensors() {
        var builder = Self.builder() // token_embd.weight: 128 bytes at 0
        builder.addRawTensor("inside", dimensions: [4], rawType: Self.f32, offset: 96, data: [UInt8](repeating: 2, count: 16))
        expectParse(builder.build(), throws: .overlappingTensors("token_embd.weight", "inside"), naming: ["token_embd.weight", "inside"])
    }

    @Test func tensorsAtTheSameOffset() {
        var builder = GGUFBuilder()
        builder.addRawTensor("a", dimensions: [8], rawType: Self.f32, offset: 32, data: [UInt8](repeating: 1, count: 32))
        builder.addRawTensor("b", dimensions: [8], rawType: Self.f32, offset: 32, data: [UInt8](repeating: 1, count: 32))
        do {
            _ = try GGUFFile(bytes: builder.build())
            Issue.record("parsed")
        } catch {
            #expect(error == .overlappingTensors("a", "b") || error == .overlappingTensors("b", "a"))
        }
    }

    @Test func adjacentTensorsDoNotOverlap() throws {
        var builder = GGUFBuilder()
        builder.alignment = 1
        builder.add("general.alignment", .uint32(1))
        builder.addTensor("a", .i8, dimensions: [3])
        builder.addTensor("b", .i8, dimensions: [5])
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.tensors.map(\.offset) == [0, 3])
    }
}
