/// A bounds-checked little-endian cursor over the bytes of a GGUF file.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size, let base = bytes.baseAddress else {
            throw .truncated(what: what(), offset: offset)
        }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// Reads `count` consecutive little-endian `T`s, checking once that they all fit, and transforms each.
    mutating func readArray<T: FixedWidthInteger, Element>(
        _: T.Type, count: Int, _ what: @autoclosure () -> String, _ transform: (T) -> Element
    ) throws(GGUFError) -> [Element] {
        let size = MemoryLayout<T>.size
        guard count > 0 else { return [] }
        guard count <= remaining / size, let base = bytes.baseAddress else {
            throw .truncated(what: what(), offset: offset)
        }
        let start = base + offset
        offset += count * size
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0 ..< count {
                let value = T(littleEndian: start.loadUnaligned(fromByteOffset: index * size, as: T.self))
                (buffer.baseAddress! + index).initialize(to: transform(value))
            }
            initialized = count
        }
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws(GGUFError) -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws(GGUFError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A GGUF string: a 64-bit byte length, then that many UTF-8 bytes (invalid sequences become U+FFFD).
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let start = offset
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else { throw .truncated(what: what(), offset: start) }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + count])
        offset += count
        return String(decoding: slice, as: UTF8.self)
    }
}
