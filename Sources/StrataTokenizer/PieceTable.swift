/// Token piece texts stored back to back, with an open-addressing hash table from piece bytes to id.
///
/// Built once per vocabulary; lookups take a byte slice and never allocate, which keeps the
/// SentencePiece merge loop (one lookup per candidate bigram) fast.
struct PieceTable: Sendable {
    /// All pieces' UTF-8 bytes, concatenated.
    private let storage: [UInt8]
    /// `offsets[id] ..< offsets[id + 1]` is token `id`'s piece in `storage`. Count + 1 entries.
    private let offsets: [Int]
    /// Hash slots holding a token id, or -1 when empty. The count is a power of two.
    private let slots: [Int32]

    /// Number of pieces.
    var count: Int { offsets.count - 1 }

    /// Builds the table; pieces must be unique.
    init(pieces: [String]) throws(TokenizerError) {
        var storage: [UInt8] = []
        storage.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count })
        var offsets: [Int] = [0]
        offsets.reserveCapacity(pieces.count + 1)
        for piece in pieces {
            storage.append(contentsOf: piece.utf8)
            offsets.append(storage.count)
        }
        var capacity = 16
        while capacity < pieces.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        let duplicate: (first: Int, second: Int)? = storage.withUnsafeBufferPointer { bytes in
            for id in pieces.indices {
                let piece = UnsafeBufferPointer(rebasing: bytes[offsets[id] ..< offsets[id + 1]])
                var slot = Int(truncatingIfNeeded: Self.hash(piece)) & mask
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    if piece.elementsEqual(bytes[offsets[other] ..< offsets[other + 1]]) {
                        return (other, id)
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(id)
            }
            return nil
        }
        if let duplicate {
            throw .duplicateToken(
                piece: pieces[duplicate.second],
                firstID: duplicate.first, secondID: duplicate.second)
        }
        self.storage = storage
        self.offsets = offsets
        self.slots = slots
    }

    /// The id whose piece is exactly `key`, if any.
    func id(of key: UnsafeBufferPointer<UInt8>) -> TokenID? {
        storage.withUnsafeBufferPointer { bytes in
            slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
                while true {
                    let candidate = slots[slot]
                    if candidate < 0 { return nil }
                    let start = offsets[Int(candidate)]
                    let end = offsets[Int(candidate) + 1]
                    if end - start == key.count, key.elementsEqual(bytes[start ..< end]) {
                        return candidate
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id whose piece is exactly `key`, if any.
    func id(of key: some Collection<UInt8>) -> TokenID? {
        let bytes = Array(key)
        return bytes.withUnsafeBufferPointer { id(of: $0) }
    }

    /// Byte length of token `id`'s piece. `id` must be in range.
    func length(of id: Int) -> Int {
        offsets[id + 1] - offsets[id]
    }

    /// Token `id`'s piece bytes. `id` must be in range.
    func piece(_ id: Int) -> ArraySlice<UInt8> {
        storage[offsets[id] ..< offsets[id + 1]]
    }

    /// FNV-1a, 64 bit: short keys, good spread, no allocation.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}
