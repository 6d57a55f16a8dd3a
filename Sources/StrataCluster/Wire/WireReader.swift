/// Reads little-endian fields from a frame, checking every length against the bytes left and
/// a caller's bound before allocating (the decoding side of the wire format).
struct WireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ field: String) throws(WireError) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw .truncated(field: field) }
        defer { offset += count }
        return offset ..< offset + count
    }

    mutating func u8(_ field: String) throws(WireError) -> UInt8 {
        bytes[try take(1, field).lowerBound]
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type, _ field: String) throws(WireError) -> T {
        let range = try take(MemoryLayout<T>.size, field)
        var value = T.zero
        for (shift, index) in range.enumerated() { value |= T(truncatingIfNeeded: bytes[index]) << (8 * shift) }
        return value
    }

    mutating func f32(_ field: String) throws(WireError) -> Float {
        Float(bitPattern: try integer(UInt32.self, field))
    }

    /// A `u32` count of at most `limit`, checked against the bytes left for `elementSize`-byte elements.
    mutating func count(_ field: String, limit: Int, elementSize: Int) throws(WireError) -> Int {
        let count = Int(try integer(UInt32.self, field))
        guard count <= limit else { throw .invalidField(field, reason: "\(count) exceeds the limit of \(limit)") }
        guard count * elementSize <= remaining else { throw .truncated(field: field) }
        return count
    }

    /// `count` values of `i32`.
    mutating func rawInt32s(_ count: Int, _ field: String) throws(WireError) -> [Int32] {
        let range = try take(count * 4, field)
        return [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0 ..< count {
                let base = range.lowerBound + index * 4
                buffer[index] = Int32(bitPattern: UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8
                    | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24)
            }
            initialized = count
        }
    }

    /// A `u32` count of at most `limit`, then that many `i32`.
    mutating func int32Array(_ field: String, limit: Int) throws(WireError) -> [Int32] {
        try rawInt32s(try count(field, limit: limit, elementSize: 4), field)
    }

    /// `count` floats stored as `f32` (or as IEEE halves when `halves`).
    mutating func rawFloats(_ count: Int, halves: Bool, _ field: String) throws(WireError) -> [Float] {
        let size = halves ? 2 : 4
        let range = try take(count * size, field)
        guard count > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                guard let start = raw.baseAddress else { return }
                let base = start + range.lowerBound
                for index in 0 ..< count {
                    if halves {
                        let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                        buffer[index] = Float(Float16(bitPattern: bits))
                    } else {
                        let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                        buffer[index] = Float(bitPattern: bits)
                    }
                }
            }
            initialized = count
        }
    }

    /// Throws when bytes are left after the last field.
    func finish() throws(WireError) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }
}
