/// The SentencePiece merge of one run of text, as llama.cpp's `llm_tokenizer_spm_session`:
/// split into UTF-8 characters, repeatedly merge the adjacent pair whose concatenation is the
/// highest-scoring piece (leftmost on ties), then emit each remaining symbol's token, or its
/// bytes' byte-fallback tokens when it is not a piece.
///
/// Symbols are byte ranges of the input; a merged pair is always contiguous, so every lookup is
/// a slice of the input and nothing is allocated per candidate.
struct SentencePieceMerger {
    private var start: [Int32] = []
    private var length: [Int32] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var queue = BigramQueue()

    /// Appends the tokens of `text` (already space-escaped, valid UTF-8) to `output`.
    mutating func tokenize(_ text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, into output: inout [TokenID]) {
        guard !text.isEmpty else { return }
        start.removeAll(keepingCapacity: true)
        length.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        queue.removeAll()

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

        for right in 1 ..< Int32(start.count) {
            addBigram(left: right - 1, right: right, text: text, vocabulary: vocabulary)
        }

        while let bigram = queue.pop() {
            let (left, right) = (Int(bigram.left), Int(bigram.right))
            // Skip entries made stale by an earlier merge of either symbol.
            guard length[left] != 0, length[right] != 0, length[left] + length[right] == bigram.size else {
                continue
            }
            length[left] += length[right]
            length[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = bigram.left }
            addBigram(left: previous[left], right: bigram.left, text: text, vocabulary: vocabulary)
            addBigram(left: bigram.left, right: next[left], text: text, vocabulary: vocabulary)
        }

        // llama.cpp's `resegment` also looks symbols up in its reverse-merge map, but that can only
        // hit for a multi-character symbol, and every merged symbol is a piece; so an unknown symbol
        // is always a single character, which goes to byte fallback.
        var index: Int32 = 0
        while index != -1 {
            let from = Int(start[Int(index)])
            let symbol = UnsafeBufferPointer(rebasing: text[from ..< from + Int(length[Int(index)])])
            if let id = vocabulary.pieces.id(of: symbol) {
                output.append(id)
            } else {
                for byte in symbol {
                    if let id = vocabulary.byteTokens[Int(byte)] ?? vocabulary.specialTokens.unk {
                        output.append(id)
                    }
                }
            }
            index = next[Int(index)]
        }
    }

    private mutating func addBigram(
        left: Int32, right: Int32, text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary
    ) {
        guard left >= 0, right >= 0 else { return }
        let from = Int(start[Int(left)])
        let size = length[Int(left)] + length[Int(right)]
        guard let id = vocabulary.pieces.id(of: UnsafeBufferPointer(rebasing: text[from ..< from + Int(size)])) else {
            return
        }
        queue.push(Bigram(score: vocabulary.scores[Int(id)], left: left, right: right, size: size))
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
