/// A run of text to tokenize with the model's algorithm, or a special token found in the text.
enum TextFragment: Equatable, Sendable {
    /// Bytes `range` of the input.
    case text(Range<Int>)
    case token(TokenID)
}

/// Splits text on special-token pieces exactly as llama.cpp's `tokenizer_st_partition`.
///
/// llama.cpp takes special tokens longest first and, for each, cuts every still-unsplit run of
/// text at its leftmost non-overlapping occurrences. Control and unknown tokens take part only
/// when special-token parsing is on; user-defined tokens (Gemma's `\n`, runs of spaces, `<html>`…)
/// always do. Instead of one substring search per special token (thousands), we find every
/// occurrence of every special piece in one pass over a trie, then replay llama.cpp's order:
/// occurrences sorted by (token rank, position), each kept when none of its bytes is taken yet.
/// That keeps exactly the matches llama.cpp keeps, because a still-unsplit run is exactly a
/// maximal run of untaken bytes.
struct SpecialTokenSplitter: Sendable {
    /// Trie edges, keyed by `node << 8 | byte`.
    private let edges: [UInt32: Int32]
    /// For each trie node, the split rank of the token ending there, or -1.
    private let terminalRank: [Int32]
    /// Whether a special piece starts with this byte.
    private let isFirstByte: [Bool]
    /// By split rank: the token, its piece length and attributes.
    private let tokens: [TokenID]
    private let lengths: [Int]
    private let attributes: [TokenAttributes]

    private static let maxNodes = 1 << 24

    init(vocabulary: Vocabulary) {
        var edges: [UInt32: Int32] = [:]
        var terminalRank: [Int32] = [-1]
        var isFirstByte = [Bool](repeating: false, count: 256)
        var lengths: [Int] = []
        var attributes: [TokenAttributes] = []
        for (rank, id) in vocabulary.specialTokensBySplitOrder.enumerated() {
            let piece = vocabulary.pieces.piece(Int(id))
            lengths.append(piece.count)
            attributes.append(vocabulary.attributes(id))
            // Node ids must fit in 24 bits of an edge key; real vocabularies use a few thousand.
            guard let first = piece.first, terminalRank.count + piece.count < Self.maxNodes else { continue }
            isFirstByte[Int(first)] = true
            var node: Int32 = 0
            for byte in piece {
                let key = UInt32(node) << 8 | UInt32(byte)
                if let child = edges[key] {
                    node = child
                } else {
                    node = Int32(terminalRank.count)
                    terminalRank.append(-1)
                    edges[key] = node
                }
            }
            terminalRank[Int(node)] = Int32(rank)
        }
        self.edges = edges
        self.terminalRank = terminalRank
        self.isFirstByte = isFirstByte
        self.tokens = vocabulary.specialTokensBySplitOrder
        self.lengths = lengths
        self.attributes = attributes
    }

    /// The fragments of `text`, in order. Text fragments are never empty.
    func split(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [TextFragment] {
        let count = text.count
        guard count > 0 else { return [] }

        var occurrences: [(rank: Int32, start: Int32)] = []
        for start in 0 ..< count where isFirstByte[Int(text[start])] {
            var node: Int32 = 0
            var index = start
            while index < count, let child = edges[UInt32(node) << 8 | UInt32(text[index])] {
                node = child
                index += 1
                let rank = terminalRank[Int(node)]
                if rank >= 0, parseSpecial || attributes[Int(rank)].isDisjoint(with: .special) {
                    occurrences.append((rank, Int32(start)))
                }
            }
        }
        guard !occurrences.isEmpty else { return [.text(0 ..< count)] }
        occurrences.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.start < $1.start }

        // Per byte: free, or taken by a token starting at `tokenStart`, or dropped by a strip.
        var taken = [Bool](repeating: false, count: count)
        var tokenAt = [Int32](repeating: -1, count: count)
        for (rank, start32) in occurrences {
            let start = Int(start32)
            let end = start + lengths[Int(rank)]
            guard !taken[start ..< end].contains(true) else { continue }
            for index in start ..< end { taken[index] = true }
            tokenAt[start] = rank
            let attributes = attributes[Int(rank)]
            if attributes.contains(.rightStrip) {
                var index = end
                while index < count, !taken[index], Self.isSpace(text[index]) {
                    taken[index] = true
                    index += 1
                }
            }
            if attributes.contains(.leftStrip) {
                var index = start - 1
                while index >= 0, !taken[index], Self.isSpace(text[index]) {
                    taken[index] = true
                    index -= 1
                }
            }
        }

        var fragments: [TextFragment] = []
        var index = 0
        while index < count {
            let rank = tokenAt[index]
            if rank >= 0 {
                fragments.append(.token(tokens[Int(rank)]))
                index += lengths[Int(rank)]
            } else if taken[index] {
                index += 1
            } else {
                let start = index
                while index < count, !taken[index] { index += 1 }
                fragments.append(.text(start ..< index))
            }
        }
        return fragments
    }

    /// C `isspace` in the C locale.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09 ... 0x0D).contains(byte)
    }
}
