import StrataGGUF
import Testing

/// Invalid metadata values, duplicate keys, alignment, and typed accessor errors.
struct GGUFMetadataErrorTests {
    @Test(arguments: [UInt32(13), 100, UInt32.max])
    func invalidValueType(rawType: UInt32) {
        var builder = GGUFBuilder()
        builder.add("ok", .uint8(1))
        builder.addRaw("general.weird", type: rawType, payload: [0, 0, 0, 0, 0, 0, 0, 0])
        expectParse(builder.build(), throws: .invalidValueType(key: "general.weird", rawType: rawType), naming: ["general.weird"])
    }

    @Test func invalidArrayElementType() {
        var builder = GGUFBuilder()
        builder.addRaw("list", type: GGUFValueType.array.rawValue, payload: GGUFBuilder.le(UInt32(13)) + GGUFBuilder.le(UInt64(0)))
        expectParse(builder.build(), throws: .invalidValueType(key: "list", rawType: 13), naming: ["list"])
    }

    @Test func nestedArray() {
        var builder = GGUFBuilder()
        builder.add("merges", .array(elementType: .array, values: [.array(elementType: .uint8, values: [.uint8(1)])]))
        expectParse(builder.build(), throws: .nestedArray(key: "merges"), naming: ["merges"])
    }

    @Test func duplicateKey() {
        var builder = GGUFBuilder()
        builder.add("general.architecture", .string("llama"))
        builder.add("other", .uint8(0))
        builder.add("general.architecture", .uint32(1))
        expectParse(builder.build(), throws: .duplicateKey("general.architecture"), naming: ["general.architecture"])
    }

    @Test(arguments: [UInt8(2), 0x7F, 0xFF])
    func boolByteOtherThanZeroOrOne(byte: UInt8) {
        var builder = GGUFBuilder()
        builder.addRaw("flag", type: GGUFValueType.bool.rawValue, payload: [byte])
        expectParse(
            builder.build(), throws: .invalidValue(key: "flag", reason: "bool byte is \(byte), expected 0 or 1"), naming: ["flag"]
        )
    }

    @Test func boolArrayElementOtherThanZeroOrOne() {
        var builder = GGUFBuilder()
        builder.addRaw(
            "flags", type: GGUFValueType.array.rawValue,
            payload: GGUFBuilder.le(GGUFValueType.bool.rawValue) + GGUFBuilder.le(UInt64(3)) + [1, 0, 2]
        )
        expectParse(builder.build(), throws: .invalidValue(key: "flags", reason: "bool byte is 2, expected 0 or 1"), naming: ["flags"])
    }

    @Test(arguments: [
        (GGUFValue.uint32(0), UInt64(0)), (.uint32(3), 3), (.uint32(48), 48), (.uint32(1 << 17), 1 << 17),
        (.uint32(UInt32.max), UInt64(UInt32.max)), (.uint64(UInt64.max), UInt64.max), (.uint64(1 << 63), 1 << 63),
        (.int32(-32), UInt64(bitPattern: -32)), (.int64(Int64.min), UInt64(1) << 63),
    ])
    func badAlignment(value: GGUFValue, reported: UInt64) {
        var builder = GGUFBuilder()
        builder.add("general.alignment", value)
        builder.addTensor("t", .f32, dimensions: [8])
        expectParse(builder.build(), throws: .invalidAlignment(reported), naming: ["general.alignment"])
    }

    @Test(arguments: [GGUFValue.string("32"), .float32(32), .bool(true), .array(elementType: .uint32, values: [.uint32(32)])])
    func alignmentOfANonIntegerType(value: GGUFValue) {
        var builder = GGUFBuilder()
        builder.add("general.alignment", value)
        expectParse(
            builder.build(), throws: .typeMismatch(key: "general.alignment", expected: "integer", found: value.typeName),
            naming: ["general.alignment"]
        )
    }

    // MARK: Typed accessors

    static func metadata() throws -> GGUFMetadata {
        var builder = GGUFBuilder()
        builder.add("name", .string("gemma"))
        builder.add("count", .uint32(4))
        builder.add("huge", .uint64(UInt64.max))
        builder.add("eps", .float32(1e-6))
        builder.add("flag", .bool(true))
        builder.add("tokens", .array(elementType: .string, values: [.string("a")]))
        builder.add("ids", .array(elementType: .int32, values: [.int32(1)]))
        builder.add("hugeIDs", .array(elementType: .uint64, values: [.uint64(1), .uint64(UInt64.max)]))
        return try GGUFFile(bytes: builder.build()).metadata
    }

    @Test func missingKey() throws {
        let metadata = try Self.metadata()
        expectError(.missingKey("general.architecture"), naming: ["general.architecture"]) { () throws(GGUFError) in
            try metadata.string("general.architecture")
        }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.integer("a.b") }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.float("a.b") }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.bool("a.b") }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.stringArray("a.b") }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.integerArray("a.b") }
        expectError(.missingKey("a.b")) { () throws(GGUFError) in try metadata.floatArray("a.b") }
    }

    @Test func typeMismatch() throws {
        let metadata = try Self.metadata()
        expectError(.typeMismatch(key: "count", expected: "string", found: "uint32"), naming: ["count"]) {
            () throws(GGUFError) in try metadata.string("count")
        }
        expectError(.typeMismatch(key: "name", expected: "integer", found: "string"), naming: ["name"]) {
            () throws(GGUFError) in try metadata.integer("name")
        }
        expectError(.typeMismatch(key: "huge", expected: "integer", found: "uint64")) { () throws(GGUFError) in
            try metadata.integer("huge")
        }
        expectError(.typeMismatch(key: "count", expected: "float", found: "uint32")) { () throws(GGUFError) in
            try metadata.float("count")
        }
        expectError(.typeMismatch(key: "count", expected: "bool", found: "uint32")) { () throws(GGUFError) in
            try metadata.boolIfPresent("count")
        }
        expectError(.typeMismatch(key: "eps", expected: "array of strings", found: "float32")) { () throws(GGUFError) in
            try metadata.stringArray("eps")
        }
        expectError(.typeMismatch(key: "ids", expected: "array of strings", found: "array of 1 int32")) {
            () throws(GGUFError) in try metadata.stringArray("ids")
        }
        expectError(.typeMismatch(key: "tokens", expected: "array of integers", found: "array of 1 string")) {
            () throws(GGUFError) in try metadata.integerArray("tokens")
        }
        expectError(.typeMismatch(key: "hugeIDs", expected: "array of integers", found: "array of 2 uint64")) {
            () throws(GGUFError) in try metadata.integerArray("hugeIDs")
        }
        expectError(.typeMismatch(key: "ids", expected: "array of floats", found: "array of 1 int32")) {
            () throws(GGUFError) in try metadata.floatArray("ids")
        }
        expectError(.typeMismatch(key: "flag", expected: "array of floats", found: "bool")) { () throws(GGUFError) in
            try metadata.floatArrayIfPresent("flag")
        }
    }
}
