/// The BPE merge of one pre-tokenized word, as llama.cpp's `llm_tokenizer_bpe_session`: split the
/// byte-level-encoded word into characters, repeatedly merge the adjacent pair with the lowest
/// merge rank (leftmost on ties), then emit each symbol's token, or the tokens of its single
/// bytes when it is not a piece.
struct BytePairEncoder {
    private var symbols = SymbolList()
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
        symbols.reset(characters: word)
        ids.removeAll(keepingCapacity: true)
        queue.removeAll()
        for index in 0 ..< Int32(symbols.count) {
            ids.append(vocabulary.pieces.id(of: symbols.bytes(index, in: word)) ?? -1)
        }
        for right in 1 ..< Int32(symbols.count) {
            addBigram(left: right - 1, right: right, word: word, ranks: ranks)
        }
        while let bigram = queue.pop() {
            guard symbols.merge(bigram) else { continue }
            ids[Int(bigram.left)] = vocabulary.pieces.id(of: symbols.bytes(bigram.left, in: word)) ?? -1
            addBigram(left: symbols.previous[Int(bigram.left)], right: bigram.left, word: word, ranks: ranks)
            addBigram(left: bigram.left, right: symbols.next[Int(bigram.left)], word: word, ranks: ranks)
        }

        var index: Int32 = 0
        while index != -1 {
            let id = ids[Int(index)]
            if id >= 0 {
                output.append(id)
            } else {
                for byte in symbols.bytes(index, in: word) {
                    if let id = vocabulary.pieces.id(of: CollectionOfOne(byte)) { output.append(id) }
                }
            }
            index = symbols.next[Int(index)]
        }
    }

    private mutating func addBigram(left: Int32, right: Int32, word: UnsafeBufferPointer<UInt8>, ranks: BytePairRanks) {
        guard left >= 0, right >= 0 else { return }
        let (leftID, rightID) = (ids[Int(left)], ids[Int(right)])
        let rank = leftID >= 0 && rightID >= 0
            ? ranks.rank(leftID, rightID)
            : ranks.rank(symbols.bytes(left, in: word), symbols.bytes(right, in: word))
        guard let rank else { return }
        queue.push(Bigram(score: -Float(rank), left: left, right: right, size: symbols.pairLength(left, right)))
    }
}
