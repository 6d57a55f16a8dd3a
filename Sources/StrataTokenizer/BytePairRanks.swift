/// The rank of each BPE merge (GGUF `tokenizer.ggml.merges`: `"left right"`, rank = index; lower
/// ranks merge first), keyed for lookups that do not allocate.
///
/// Merges of two vocabulary pieces (nearly all) are keyed by the pair of token ids; any other
/// merge by its text, which the encoder only consults for symbols that are not pieces.
struct BytePairRanks: Sendable {
    private var byIDs: [UInt64: Int32] = [:]
    private var byText: [String: Int32] = [:]

    /// Number of merges.
    let count: Int

    /// Parses `merges`; each must hold a space after its first character (as llama.cpp splits
    /// them at the first space from byte 1). A repeated pair keeps its last rank, as in llama.cpp.
    init(merges: [String], pieces: PieceTable) throws(TokenizerError) {
        count = merges.count
        byIDs.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let bytes = Array(merge.utf8)
            guard bytes.count > 1, let space = bytes[1...].firstIndex(of: 0x20) else {
                throw .malformedKey(GGUFKey.merges, reason: "entry \(rank) \(merge.debugDescription) is not 'left right'")
            }
            let left = bytes[..<space]
            let right = bytes[(space + 1)...]
            if let leftID = pieces.id(of: left), let rightID = pieces.id(of: right) {
                byIDs[Self.key(leftID, rightID)] = Int32(rank)
            } else {
                byText[String(decoding: left, as: UTF8.self) + " " + String(decoding: right, as: UTF8.self)] =
                    Int32(rank)
            }
        }
    }

    /// The rank of merging pieces `left` and `right`.
    @inline(__always)
    func rank(_ left: TokenID, _ right: TokenID) -> Int32? {
        byIDs[Self.key(left, right)]
    }

    /// The rank of merging texts `left` and `right` when one of them is not a piece.
    func rank(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !byText.isEmpty else { return nil }
        return byText[String(decoding: left, as: UTF8.self) + " " + String(decoding: right, as: UTF8.self)]
    }

    @inline(__always)
    private static func key(_ left: TokenID, _ right: TokenID) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
