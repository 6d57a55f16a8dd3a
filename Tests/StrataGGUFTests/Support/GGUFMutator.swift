import StrataTestSupport

/// Random structure-unaware mutations of GGUF bytes for the in-suite fuzz test.
enum GGUFMutator {
    /// 64-bit values that sit on the edges of counts, lengths, sizes and offsets.
    static let boundary64: [UInt64] = [
        0, 1, 2, 3, 4, 5, 31, 32, 33, 255, 256, 0x7FFF, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0xFFFF_FFFF,
        0x1_0000_0000, UInt64(Int32.max) + 1, UInt64(Int.max / 2), UInt64(Int.max / 2) + 1,
        UInt64(Int.max), UInt64(Int.max) + 1, UInt64.max - 31, UInt64.max - 1, UInt64.max,
    ]
    /// 32-bit values for type ids, dimension counts and versions.
    static let boundary32: [UInt32] = [0, 1, 2, 3, 4, 5, 8, 9, 10, 12, 13, 14, 15, 30, 36, 39, 40, 0x7FFF_FFFF, UInt32.max]
    static let interestingBytes: [UInt8] = [0, 1, 2, 0x7F, 0x80, 0xFF]

    /// `bytes` with one to four random mutations applied.
    static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
            mutateOnce(&bytes, using: &rng)
        }
        return bytes
    }

    static func mutateOnce(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = [UInt8.random(in: 0 ... 255, using: &rng)]
            return
        }
        let position = Int.random(in: 0 ..< bytes.count, using: &rng)
        switch Int.random(in: 0 ..< 9, using: &rng) {
        case 0:
            bytes[position] ^= 1 << UInt8.random(in: 0 ..< 8, using: &rng)
        case 1:
            bytes[position] = interestingBytes.randomElement(using: &rng)!
        case 2:
            bytes[position] = UInt8.random(in: 0 ... 255, using: &rng)
        case 3:
            bytes.removeSubrange(Int.random(in: 0 ... bytes.count, using: &rng)...)
        case 4:
            let count = Int.random(in: 1 ... 8, using: &rng)
            bytes.insert(contentsOf: (0 ..< count).map { _ in interestingBytes.randomElement(using: &rng)! }, at: position)
        case 5:
            bytes.removeSubrange(position ..< min(bytes.count, position + Int.random(in: 1 ... 16, using: &rng)))
        case 6:
            overwrite(&bytes, at: position, with: GGUFBuilder.le(boundary64.randomElement(using: &rng)!))
        case 7:
            overwrite(&bytes, at: position, with: GGUFBuilder.le(boundary32.randomElement(using: &rng)!))
        default:
            // Copy a chunk elsewhere: duplicates keys, tensor infos and strings.
            let length = Int.random(in: 1 ... min(64, bytes.count - position), using: &rng)
            let chunk = Array(bytes[position ..< position + length])
            bytes.insert(contentsOf: chunk, at: Int.random(in: 0 ... bytes.count, using: &rng))
        }
    }

    /// Overwrites from `position` (aligned down to the value's size half the time), clipped at the end.
    private static func overwrite(_ bytes: inout [UInt8], at position: Int, with value: [UInt8]) {
        let start = position % 2 == 0 ? position - position % value.count : position
        for (index, byte) in value.enumerated() where start + index < bytes.count {
            bytes[start + index] = byte
        }
    }
}
