/// Identity of a full KV block for prefix caching: a 64-bit FNV-1a hash over the block's token
/// ids, chained from the previous block's hash so that equal hashes mean equal whole prefixes.
///
/// Deterministic across processes (unlike Swift's randomly seeded `Hasher`); a hit is still
/// confirmed against the real token ids before a block is reused.
public struct BlockHash: Hashable, Sendable, CustomStringConvertible {
    /// The raw 64-bit value.
    public let value: UInt64

    /// Wraps a raw hash value.
    public init(value: UInt64) {
        self.value = value
    }

    private static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of a block holding `tokens`, following the block whose hash is `previous`
    /// (`nil` for a sequence's first block).
    public init(previous: BlockHash?, tokens: ArraySlice<Int32>) {
        var hash = Self.offsetBasis
        if let previous {
            hash = Self.mix(hash, previous.value)
        }
        for token in tokens {
            hash = Self.mix(hash, UInt64(UInt32(bitPattern: token)))
        }
        value = hash
    }

    /// FNV-1a over the little-endian bytes of the low `8` bytes of `word`.
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var hash = hash
        var word = word
        for _ in 0 ..< 8 {
            hash ^= word & 0xFF
            hash &*= prime
            word >>= 8
        }
        return hash
    }

    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
