/// The BPE merge of one pre-tokenized word, as llama.cpp's `llm_tokenizer_bpe_session`: split the
/// byte-level-encoded word into characters, repeatedly merge the adjacent pair with the lowest
/// merge rank (leftmost on ties), then emit each symbol's token, or the tokens of its single
/// bytes when it is not a piece.
///
/// Symbols are byte ranges of the word; a merged pair is contiguous, so lookups are slices.
struct BytePairEncoder {
    private var start: [Int32] = []
    private var length: [Int32] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    /// The piece id of each symbol, or -1 when its text is not a piece.
    private var ids: [TokenID] = []
    /// Lowest rank first: `BigramQueue` takes the highest score, so score = -rank (exact in a
    /// Float below 2^24 merges).
    private var queue = BigramQueue()

    /// Appends the tokens of `word` (written in the byte-level alphabet) to `output`.
    mutating func tokenize(
        _ word: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, ranks: BytePairRanks, ignoresMerges: Bool,
        into output: inout [TokenID]
    ) {
        guard !word.isEmpty else { return }
        if ignoresMerges, let id = vocabulary.pieces.id(of: word) {
            output.append(id)
            return
        }
        start.removeAll(keepingCapacity: true)
        length.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        queue.removeAll()

        var offset = 0
        while offset < word.count {
            let size = min(SentencePieceMerger.utf8Length(leadByte: word[offset]), word.count - offset)
            let index = Int32(start.count)
            start.append(Int32(offset))
            length.append(Int32(size))
            previous.append(index - 1)
            ids.append(vocabulary.pieces.id(of: UnsafeBufferPointer(rebasing: word[offset ..< offset + size])) ?? -1)
            offset += size
            next.append(offset == word.count ? -1 : index + 1)
        }
        for right in 1 ..< Int32(start.count) {
            addBigram(left: right - 1, right: right, word: word, ranks: ranks)
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
            ids[left] = vocabulary.pieces.id(of: symbol(left, word)) ?? -1
            addBigram(left: previous[left], right: bigram.left, word: word, ranks: ranks)
            addBigram(left: bigram.left, right: next[left], word: word, ranks: ranks)
        }

        var index: Int32 = 0
        while index != -1 {
            let id = ids[Int(index)]
            if id >= 0 {
                output.append(id)
            } else {
                for byte in symbol(Int(index), word) {
                    if let id = vocabulary.pieces.id(of: CollectionOfOne(byte)) { output.append(id) }
                }
            }
            index = next[Int(index)]
        }
    }

    @inline(__always)
    private func symbol(_ index: Int, _ word: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let from = Int(start[index])
        return UnsafeBufferPointer(rebasing: word[from ..< from + Int(length[index])])
    }

    private mutating func addBigram(left: Int32, right: Int32, word: UnsafeBufferPointer<UInt8>, ranks: BytePairRanks) {
        guard left >= 0, right >= 0 else { return }
        let (leftID, rightID) = (ids[Int(left)], ids[Int(right)])
        let rank = leftID >= 0 && rightID >= 0
            ? ranks.rank(leftID, rightID)
            : ranks.rank(symbol(Int(left), word), symbol(Int(right), word))
        guard let rank else { return }
        queue.push(Bigram(score: -Float(rank), left: left, right: right, size: length[Int(left)] + length[Int(right)]))
    }
}
