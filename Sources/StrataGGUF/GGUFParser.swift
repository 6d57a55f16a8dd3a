/// The result of parsing a GGUF header.
struct ParsedGGUF {
    let version: UInt32
    let metadata: GGUFMetadata
    let tensors: [GGUFTensorInfo]
    let alignment: Int
    let dataOffset: Int
}

/// Reads and validates a GGUF header: magic, version, metadata, tensor infos, alignment.
struct GGUFParser {
    /// `GGUF` read as a little-endian 32-bit integer.
    static let magic: UInt32 = 0x4655_4747
    /// The smallest encoding of one metadata entry: an empty key, a type, a one-byte value.
    private static let minimumKeyValueSize: UInt64 = 8 + 4 + 1
    /// The smallest encoding of one tensor info: an empty name, one dimension, type, offset.
    private static let minimumTensorInfoSize: UInt64 = 8 + 4 + 8 + 4 + 8

    private var reader: ByteReader

    init(bytes: UnsafeRawBufferPointer) {
        reader = ByteReader(bytes)
    }

    mutating func parse() throws(GGUFError) -> ParsedGGUF {
        let magic = try reader.read(UInt32.self, "magic")
        guard magic == Self.magic else { throw .badMagic(found: magic) }
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }

        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let keyValueCount = try reader.read(UInt64.self, "metadata count")
        try checkCount(tensorCount, of: Self.minimumTensorInfoSize, "tensor")
        try checkCount(keyValueCount, of: Self.minimumKeyValueSize, "metadata")

        let metadata = try readMetadata(count: Int(keyValueCount))
        let alignment = try Self.alignment(in: metadata)
        let infos = try readTensorInfos(count: Int(tensorCount))
        // The data section starts at the next multiple of the alignment. Files without tensor data
        // (vocab-only files) may end before that padding: their data section is empty.
        let fileSize = reader.bytes.count
        let dataOffset = min((reader.offset + alignment - 1) / alignment * alignment, fileSize)
        let tensors = try Self.validate(infos, alignment: alignment, dataSize: fileSize - dataOffset)
        return ParsedGGUF(
            version: version, metadata: metadata, tensors: tensors,
            alignment: alignment, dataOffset: dataOffset
        )
    }

    private func checkCount(_ count: UInt64, of minimumSize: UInt64, _ what: String) throws(GGUFError) {
        guard count <= UInt64(reader.remaining) / minimumSize else { throw .countTooLarge(what: what, count: count) }
    }

    // MARK: Metadata

    private mutating func readMetadata(count: Int) throws(GGUFError) -> GGUFMetadata {
        var pairs: [(String, GGUFValue)] = []
        pairs.reserveCapacity(count)
        var seen = Set<String>()
        for index in 0 ..< count {
            let key = try reader.readString("key of metadata entry \(index)")
            guard seen.insert(key).inserted else { throw .duplicateKey(key) }
            let rawType = try reader.read(UInt32.self, "type of metadata key '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else { throw .invalidValueType(key: key, rawType: rawType) }
            pairs.append((key, try readValue(of: type, key: key)))
        }
        return GGUFMetadata(orderedPairs: pairs)
    }

    private mutating func readValue(of type: GGUFValueType, key: String) throws(GGUFError) -> GGUFValue {
        // The message is built only when reading fails: this runs for every element of large arrays.
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, Self.valueWhat(key)))
        case .int8: return .int8(try reader.read(Int8.self, Self.valueWhat(key)))
        case .uint16: return .uint16(try reader.read(UInt16.self, Self.valueWhat(key)))
        case .int16: return .int16(try reader.read(Int16.self, Self.valueWhat(key)))
        case .uint32: return .uint32(try reader.read(UInt32.self, Self.valueWhat(key)))
        case .int32: return .int32(try reader.read(Int32.self, Self.valueWhat(key)))
        case .uint64: return .uint64(try reader.read(UInt64.self, Self.valueWhat(key)))
        case .int64: return .int64(try reader.read(Int64.self, Self.valueWhat(key)))
        case .float32: return .float32(try reader.readFloat(Self.valueWhat(key)))
        case .float64: return .float64(try reader.readDouble(Self.valueWhat(key)))
        case .bool:
            let byte = try reader.read(UInt8.self, Self.valueWhat(key))
            try Self.checkBool(byte, key: key)
            return .bool(byte == 1)
        case .string: return .string(try reader.readString(Self.valueWhat(key)))
        case .array: return try readArray(key: key)
        }
    }

    private static func valueWhat(_ key: String) -> String {
        "value of metadata key '\(key)'"
    }

    private static func checkBool(_ byte: UInt8, key: String) throws(GGUFError) {
        guard byte <= 1 else { throw .invalidValue(key: key, reason: "bool byte is \(byte), expected 0 or 1") }
    }

    private mutating func readArray(key: String) throws(GGUFError) -> GGUFValue {
        let rawType = try reader.read(UInt32.self, "element type of metadata key '\(key)'")
        guard let elementType = GGUFValueType(rawValue: rawType) else {
            throw .invalidValueType(key: key, rawType: rawType)
        }
        guard elementType != .array else { throw .nestedArray(key: key) }
        let count = try reader.read(UInt64.self, "length of metadata array '\(key)'")
        let minimumElementSize = UInt64(elementType.fixedSize ?? 8)
        guard count <= UInt64(reader.remaining) / minimumElementSize else {
            throw .countTooLarge(what: "array '\(key)' element", count: count)
        }
        return .array(elementType: elementType, values: try readElements(of: elementType, count: Int(count), key: key))
    }

    /// Fixed-size elements are read in one pass after one bounds check; strings one by one.
    private mutating func readElements(
        of type: GGUFValueType, count: Int, key: String
    ) throws(GGUFError) -> [GGUFValue] {
        switch type {
        case .uint8: return try reader.readArray(UInt8.self, count: count, Self.valueWhat(key)) { .uint8($0) }
        case .int8: return try reader.readArray(Int8.self, count: count, Self.valueWhat(key)) { .int8($0) }
        case .uint16: return try reader.readArray(UInt16.self, count: count, Self.valueWhat(key)) { .uint16($0) }
        case .int16: return try reader.readArray(Int16.self, count: count, Self.valueWhat(key)) { .int16($0) }
        case .uint32: return try reader.readArray(UInt32.self, count: count, Self.valueWhat(key)) { .uint32($0) }
        case .int32: return try reader.readArray(Int32.self, count: count, Self.valueWhat(key)) { .int32($0) }
        case .uint64: return try reader.readArray(UInt64.self, count: count, Self.valueWhat(key)) { .uint64($0) }
        case .int64: return try reader.readArray(Int64.self, count: count, Self.valueWhat(key)) { .int64($0) }
        case .float32: return try reader.readArray(UInt32.self, count: count, Self.valueWhat(key)) { .float32(Float(bitPattern: $0)) }
        case .float64: return try reader.readArray(UInt64.self, count: count, Self.valueWhat(key)) { .float64(Double(bitPattern: $0)) }
        case .bool:
            let bytes = try reader.readArray(UInt8.self, count: count, Self.valueWhat(key)) { $0 }
            if let bad = bytes.first(where: { $0 > 1 }) { try Self.checkBool(bad, key: key) }
            return bytes.map { .bool($0 == 1) }
        case .string, .array:
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0 ..< count {
                values.append(try readValue(of: type, key: key))
            }
            return values
        }
    }

    private static func alignment(in metadata: GGUFMetadata) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return GGUFFile.defaultAlignment }
        let alignment: UInt64
        switch value {
        case let .uint64(unsigned): alignment = unsigned // may not fit in Int, still an alignment error
        default:
            guard let integer = value.integerValue else {
                throw .typeMismatch(key: "general.alignment", expected: "integer", found: value.typeName)
            }
            alignment = UInt64(truncatingIfNeeded: integer)
        }
        guard alignment > 0, alignment <= 65536, alignment & (alignment - 1) == 0 else {
            throw .invalidAlignment(alignment)
        }
        return Int(alignment)
    }

    // MARK: Tensor infos

    private struct RawTensorInfo {
        let name: String
        let dimensions: [UInt64]
        let rawType: UInt32
        let offset: UInt64
    }

    private mutating func readTensorInfos(count: Int) throws(GGUFError) -> [RawTensorInfo] {
        var infos: [RawTensorInfo] = []
        infos.reserveCapacity(count)
        for index in 0 ..< count {
            let name = try reader.readString("name of tensor \(index)")
            let dimensionCount = try reader.read(UInt32.self, "dimension count of tensor '\(name)'")
            guard dimensionCount >= 1, dimensionCount <= GGUFFile.maxDimensions else {
                throw .invalidDimensions(tensor: name, dimensions: [])
            }
            var dimensions: [UInt64] = []
            for _ in 0 ..< dimensionCount {
                dimensions.append(try reader.read(UInt64.self, "dimensions of tensor '\(name)'"))
            }
            let rawType = try reader.read(UInt32.self, "type of tensor '\(name)'")
            let offset = try reader.read(UInt64.self, "data offset of tensor '\(name)'")
            infos.append(RawTensorInfo(name: name, dimensions: dimensions, rawType: rawType, offset: offset))
        }
        return infos
    }

    private static func validate(
        _ infos: [RawTensorInfo], alignment: Int, dataSize: Int
    ) throws(GGUFError) -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        var names = Set<String>()
        for info in infos {
            guard names.insert(info.name).inserted else { throw .duplicateTensor(info.name) }
            tensors.append(try validate(info, alignment: alignment, dataSize: dataSize))
        }
        try checkNoOverlap(tensors)
        return tensors
    }

    private static func validate(
        _ info: RawTensorInfo, alignment: Int, dataSize: Int
    ) throws(GGUFError) -> GGUFTensorInfo {
        let name = info.name
        // Every dimension must be positive and the element count must fit comfortably in Int.
        let limit = UInt64(Int.max / 2)
        var elementCount: UInt64 = 1
        for dimension in info.dimensions {
            guard dimension >= 1, dimension <= limit else {
                throw .invalidDimensions(tensor: name, dimensions: info.dimensions)
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limit else { throw .elementCountOverflow(tensor: name) }
            elementCount = product
        }
        guard let type = GGMLType(rawValue: info.rawType) else {
            throw .unknownTensorType(tensor: name, rawType: info.rawType)
        }
        let rowLength = Int(info.dimensions[0])
        guard rowLength % type.blockSize == 0 else {
            throw .rowNotBlockAligned(tensor: name, type: type, rowLength: rowLength)
        }
        // Types wider than 4 bytes per element can overflow in bytes where the element count did not.
        guard let rowBytes = type.rowByteCount(elements: rowLength) else { throw .elementCountOverflow(tensor: name) }
        let rows = Int(elementCount) / rowLength
        let (byteCount, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
        guard !overflow else { throw .elementCountOverflow(tensor: name) }
        guard info.offset % UInt64(alignment) == 0 else { throw .misalignedTensor(tensor: name, offset: info.offset) }
        guard info.offset <= UInt64(dataSize), UInt64(byteCount) <= UInt64(dataSize) - info.offset else {
            throw .tensorOutOfBounds(tensor: name, offset: info.offset, byteCount: UInt64(byteCount), dataSize: dataSize)
        }
        return GGUFTensorInfo(
            name: name, dimensions: info.dimensions.map { Int($0) }, type: type,
            offset: Int(info.offset), elementCount: Int(elementCount), byteCount: byteCount
        )
    }

    private static func checkNoOverlap(_ tensors: [GGUFTensorInfo]) throws(GGUFError) {
        let ordered = tensors.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.offset + previous.byteCount > next.offset {
            throw .overlappingTensors(previous.name, next.name)
        }
    }
}
