/// The SentencePiece merge of one run of text, as llama.cpp's `llm_tokenizer_spm_session`:
/// split into UTF-8 characters, repeatedly merge the adjacent pair whose concatenation is the
/// highest-scoring piece (leftmost on ties), then emit each remaining symbol's token, or its
/// bytes' byte-fallback tokens when it is not a piece.
struct SentencePieceMerger {
    private var symbols = SymbolList()
    private var queue = BigramQueue()

    /// Appends the tokens of `text` (already space-escaped, valid UTF-8) to `output`.
    mutating func tokenize(_ text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, into output: inout [TokenID]) {
        guard !text.isEmpty else { return }
        symbols.reset(characters: text)
        queue.removeAll()
        for right in 1 ..< Int32(symbols.count) {
            addBigram(left: right - 1, right: right, text: text, vocabulary: vocabulary)
        }
        while let bigram = queue.pop() {
            guard symbols.merge(bigram) else { continue }
            addBigram(left: symbols.previous[Int(bigram.left)], right: bigram.left, text: text, vocabulary: vocabulary)
            addBigram(left: bigram.left, right: symbols.next[Int(bigram.left)], text: text, vocabulary: vocabulary)
        }

        // llama.cpp's `resegment` also looks symbols up in its reverse-merge map, but that can only
        // hit for a multi-character symbol, and every merged symbol is a piece; so an unknown symbol
        // is always a single character, which goes to byte fallback.
        var index: Int32 = 0
        while index != -1 {
            let symbol = symbols.bytes(index, in: text)
            if let id = vocabulary.pieces.id(of: symbol) {
                output.append(id)
            } else {
                for byte in symbol {
                    if let id = vocabulary.byteTokens[Int(byte)] ?? vocabulary.specialTokens.unk {
                        output.append(id)
                    }
                }
            }
            index = symbols.next[Int(index)]
        }
    }

    private mutating func addBigram(
        left: Int32, right: Int32, text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary
    ) {
        guard left >= 0, right >= 0, let id = vocabulary.pieces.id(of: symbols.pair(left, right, in: text)) else {
            return
        }
        queue.push(Bigram(score: vocabulary.scores[Int(id)], left: left, right: right, size: symbols.pairLength(left, right)))
    }
}
