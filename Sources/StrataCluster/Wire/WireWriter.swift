/// Appends little-endian fields to a growing byte array (the encoding side of the wire format).
struct WireWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func f32(_ value: Float) { integer(value.bitPattern) }

    /// A `u32` count, then each value as `i32`.
    mutating func int32Array(_ values: [Int32]) {
        integer(UInt32(values.count))
        rawInt32s(values)
    }

    /// Each value as `i32`, without a count.
    mutating func rawInt32s(_ values: [Int32]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { integer(value) }
        #endif
    }

    /// Each value as `f32`, without a count.
    mutating func rawFloats(_ values: UnsafeBufferPointer<Float>) {
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for value in values { f32(value) }
        #endif
    }

    /// Each value rounded to IEEE half precision, without a count.
    mutating func rawHalves(_ values: UnsafeBufferPointer<Float>) {
        for value in values { integer(Float16(value).bitPattern) }
    }
}
