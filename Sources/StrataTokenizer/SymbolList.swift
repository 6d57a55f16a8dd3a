/// The symbols of a text while BPE or SentencePiece merges them: byte ranges of the text in a
/// doubly linked list, one per UTF-8 character at first. A merged pair is always contiguous,
/// so a symbol is a slice of the text and nothing is allocated per candidate. Buffers are kept
/// between texts.
struct SymbolList {
    private var start: [Int32] = []
    private var length: [Int32] = []
    /// The symbol before each one, or -1.
    private(set) var previous: [Int32] = []
    /// The symbol after each one, or -1.
    private(set) var next: [Int32] = []

    /// Number of initial symbols (merged-away ones included).
    var count: Int { start.count }

    /// Restarts with one symbol per UTF-8 character of `text` (a truncated last character is
    /// one symbol of the bytes that remain).
    mutating func reset(characters text: UnsafeBufferPointer<UInt8>) {
        start.removeAll(keepingCapacity: true)
        length.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < text.count {
            let size = min(Self.utf8Length(leadByte: text[offset]), text.count - offset)
            let index = Int32(start.count)
            start.append(Int32(offset))
            length.append(Int32(size))
            previous.append(index - 1)
            offset += size
            next.append(offset == text.count ? -1 : index + 1)
        }
    }

    /// The bytes of symbol `index` in `text`.
    @inline(__always)
    func bytes(_ index: Int32, in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let from = Int(start[Int(index)])
        return UnsafeBufferPointer(rebasing: text[from ..< from + Int(length[Int(index)])])
    }

    /// The bytes of symbols `left` and `right` (adjacent) together.
    @inline(__always)
    func pair(_ left: Int32, _ right: Int32, in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let from = Int(start[Int(left)])
        return UnsafeBufferPointer(rebasing: text[from ..< from + Int(length[Int(left)] + length[Int(right)])])
    }

    /// Bytes in symbols `left` and `right` together.
    @inline(__always)
    func pairLength(_ left: Int32, _ right: Int32) -> Int32 { length[Int(left)] + length[Int(right)] }

    /// Merges `bigram.right` into `bigram.left`, unless an earlier merge of either symbol made
    /// the queued bigram stale; returns whether it merged.
    mutating func merge(_ bigram: Bigram) -> Bool {
        let (left, right) = (Int(bigram.left), Int(bigram.right))
        guard length[left] != 0, length[right] != 0, length[left] + length[right] == bigram.size else {
            return false
        }
        length[left] += length[right]
        length[right] = 0
        next[left] = next[right]
        if next[right] >= 0 { previous[Int(next[right])] = bigram.left }
        return true
    }

    /// Sequence length implied by a UTF-8 lead byte (llama.cpp's `unicode_len_utf8`).
    @inline(__always)
    static func utf8Length(leadByte: UInt8) -> Int {
        switch leadByte >> 4 {
        case 0xC, 0xD: 2
        case 0xE: 3
        case 0xF: 4
        default: 1
        }
    }
}
