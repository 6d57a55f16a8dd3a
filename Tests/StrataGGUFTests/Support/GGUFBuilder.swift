#if canImport(StrataGGUF)
import StrataGGUF
#endif

/// A GGUF writer for tests: builds valid files, and through its raw fields and overrides, invalid ones.
///
/// Also compiled into the libFuzzer harness (`Tests/Fuzz`), where the reader's sources share one
/// module with it, hence the conditional import and no Foundation.
struct GGUFBuilder {
    /// One tensor info and its data. A nil `offset` places the data after the previous tensor's.
    struct Tensor {
        var name: String
        var dimensions: [UInt64]
        var rawType: UInt32
        var offset: UInt64?
        var data: [UInt8]
    }

    var magic: UInt32 = 0x4655_4747
    var version: UInt32 = 3
    /// Alignment used to pad the header and place tensors; `general.alignment` is written separately.
    var alignment = 32
    /// Written instead of the real tensor count when set.
    var tensorCountOverride: UInt64?
    /// Written instead of the real metadata count when set.
    var metadataCountOverride: UInt64?
    /// Whether to pad the end of the header to `alignment` even when there is no tensor data.
    var padsEmptyDataSection = true
    private(set) var metadata: [(key: String, bytes: [UInt8])] = []
    var tensors: [Tensor] = []

    init(version: UInt32 = 3) {
        self.version = version
    }

    /// Adds `general.alignment` as a uint32 and pads with it.
    mutating func setAlignment(_ alignment: Int) {
        self.alignment = alignment
        add("general.alignment", .uint32(UInt32(alignment)))
    }

    /// Adds a well-formed metadata entry. Arrays of arrays are written as GGUF would encode them.
    mutating func add(_ key: String, _ value: GGUFValue) {
        addRaw(key, type: Self.typeID(of: value), payload: Self.payload(of: value))
    }

    /// Adds a metadata entry with any type id and payload bytes.
    mutating func addRaw(_ key: String, type: UInt32, payload: [UInt8]) {
        metadata.append((key, Self.le(type) + payload))
    }

    /// Adds a well-formed tensor with patterned data of the right size, placed after the previous one.
    mutating func addTensor(_ name: String, _ type: GGMLType = .f32, dimensions: [Int]) {
        let elements = dimensions.reduce(1, *)
        let byteCount = elements / type.blockSize * type.typeSize
        let salt = tensors.count
        let data = (0 ..< byteCount).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ salt &* 7 &+ 1) }
        tensors.append(Tensor(
            name: name, dimensions: dimensions.map { UInt64($0) }, rawType: type.rawValue, offset: nil, data: data
        ))
    }

    /// Adds a tensor info with any fields and data bytes (default none).
    mutating func addRawTensor(
        _ name: String, dimensions: [UInt64], rawType: UInt32, offset: UInt64? = nil, data: [UInt8] = []
    ) {
        tensors.append(Tensor(name: name, dimensions: dimensions, rawType: rawType, offset: offset, data: data))
    }

    /// The data offset each tensor gets in `build()`, in tensor order.
    var tensorOffsets: [UInt64] {
        var offsets: [UInt64] = []
        var next: UInt64 = 0
        for tensor in tensors {
            let offset = tensor.offset ?? next
            offsets.append(offset)
            let end = offset &+ UInt64(tensor.data.count)
            next = Self.pad(end, to: UInt64(max(alignment, 1)))
        }
        return offsets
    }

    /// Offset of the end of the tensor infos, before padding.
    var headerByteCount: Int { header().count }

    func build() -> [UInt8] {
        var bytes = header()
        let alignment = max(self.alignment, 1)
        if !tensors.isEmpty || padsEmptyDataSection {
            bytes += [UInt8](repeating: 0, count: Int(Self.pad(UInt64(bytes.count), to: UInt64(alignment))) - bytes.count)
        }
        var data: [UInt8] = []
        for (tensor, offset) in zip(tensors, tensorOffsets) where !tensor.data.isEmpty {
            let start = Int(offset)
            if data.count < start + tensor.data.count {
                data += [UInt8](repeating: 0, count: start + tensor.data.count - data.count)
            }
            data.replaceSubrange(start ..< start + tensor.data.count, with: tensor.data)
        }
        if !data.isEmpty {
            data += [UInt8](repeating: 0, count: Int(Self.pad(UInt64(data.count), to: UInt64(alignment))) - data.count)
        }
        return bytes + data
    }

    private func header() -> [UInt8] {
        var bytes = Self.le(magic) + Self.le(version)
        bytes += Self.le(tensorCountOverride ?? UInt64(tensors.count))
        bytes += Self.le(metadataCountOverride ?? UInt64(metadata.count))
        for entry in metadata {
            bytes += Self.string(entry.key) + entry.bytes
        }
        for (tensor, offset) in zip(tensors, tensorOffsets) {
            bytes += Self.string(tensor.name) + Self.le(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions {
                bytes += Self.le(dimension)
            }
            bytes += Self.le(tensor.rawType) + Self.le(offset)
        }
        return bytes
    }

    // MARK: Encoding

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func string(_ string: String) -> [UInt8] {
        le(UInt64(string.utf8.count)) + Array(string.utf8)
    }

    static func pad(_ value: UInt64, to alignment: UInt64) -> UInt64 {
        (value &+ alignment &- 1) / alignment &* alignment
    }

    static func typeID(of value: GGUFValue) -> UInt32 {
        let type: GGUFValueType = switch value {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
        return type.rawValue
    }

    /// The bytes of `value` after its type id.
    static func payload(of value: GGUFValue) -> [UInt8] {
        switch value {
        case let .uint8(v): le(v)
        case let .int8(v): le(v)
        case let .uint16(v): le(v)
        case let .int16(v): le(v)
        case let .uint32(v): le(v)
        case let .int32(v): le(v)
        case let .uint64(v): le(v)
        case let .int64(v): le(v)
        case let .float32(v): le(v.bitPattern)
        case let .float64(v): le(v.bitPattern)
        case let .bool(v): [v ? 1 : 0]
        case let .string(v): string(v)
        case let .array(elementType, values):
            le(elementType.rawValue) + le(UInt64(values.count)) + values.flatMap { element in
                // An element of an array of arrays carries its own element type and count.
                payload(of: element)
            }
        }
    }
}
