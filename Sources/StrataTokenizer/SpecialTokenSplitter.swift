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
    /// The special pieces, each leading to its split rank.
    private let trie: ByteTrie
    /// By split rank: the token, its piece length and attributes.
    private let tokens: [TokenID]
    private let lengths: [Int]
    private let attributes: [TokenAttributes]

    init(vocabulary: Vocabulary) {
        tokens = vocabulary.specialTokensBySplitOrder
        lengths = tokens.map { vocabulary.pieces.length(of: Int($0)) }
        attributes = tokens.map { vocabulary.attributes($0) }
        trie = ByteTrie(tokens.enumerated().map { (vocabulary.pieces.piece(Int($1)), Int32($0)) })
    }

    /// The fragments of `text`, in order. Text fragments are never empty.
    func split(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [TextFragment] {
        let count = text.count
        guard count > 0 else { return [] }

        // Every occurrence of every eligible special piece, in order of position.
        var occurrenceRanks: [Int32] = []
        var occurrenceStarts: [Int32] = []
        for start in 0 ..< count where trie.startsKey(text[start]) {
            var node: Int32 = 0
            var index = start
            while index < count, let child = trie.child(of: node, text[index]) {
                node = child
                index += 1
                let rank = trie.value(at: node)
                if rank >= 0, parseSpecial || attributes[Int(rank)].isDisjoint(with: .special) {
                    occurrenceRanks.append(rank)
                    occurrenceStarts.append(Int32(start))
                }
            }
        }
        guard !occurrenceRanks.isEmpty else { return [.text(0 ..< count)] }

        // Order by (rank, position) with a counting sort on rank: linear even for long runs of
        // whitespace, where every position starts dozens of occurrences.
        var rankOffsets = [Int](repeating: 0, count: tokens.count + 1)
        for rank in occurrenceRanks { rankOffsets[Int(rank) + 1] += 1 }
        for rank in 0 ..< tokens.count { rankOffsets[rank + 1] += rankOffsets[rank] }
        var cursor = rankOffsets
        var sortedStarts = [Int32](repeating: 0, count: occurrenceStarts.count)
        for (rank, start) in zip(occurrenceRanks, occurrenceStarts) {
            sortedStarts[cursor[Int(rank)]] = start
            cursor[Int(rank)] += 1
        }

        // Replay llama.cpp: keep an occurrence when none of its bytes is taken yet.
        var taken = [Bool](repeating: false, count: count)
        var tokenAt = [Int32](repeating: -1, count: count)  // rank of the token starting here
        for rank in 0 ..< tokens.count where rankOffsets[rank] < rankOffsets[rank + 1] {
            for start in sortedStarts[rankOffsets[rank] ..< rankOffsets[rank + 1]].lazy.map(Int.init) {
                let end = start + lengths[rank]
                guard !taken[start ..< end].contains(true) else { continue }
                for index in start ..< end { taken[index] = true }
                tokenAt[start] = Int32(rank)
                if attributes[rank].contains(.rightStrip) {
                    var index = end
                    while index < count, !taken[index], Self.isSpace(text[index]) {
                        taken[index] = true
                        index += 1
                    }
                }
                if attributes[rank].contains(.leftStrip) {
                    var index = start - 1
                    while index >= 0, !taken[index], Self.isSpace(text[index]) {
                        taken[index] = true
                        index -= 1
                    }
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
