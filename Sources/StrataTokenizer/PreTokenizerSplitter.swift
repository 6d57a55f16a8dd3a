/// Splits text into words with a `PreTokenizer`'s pattern, matched on Unicode scalars.
///
/// Text the pattern does not match becomes a word of its own, as in Hugging Face tokenizers and
/// llama.cpp, so the words always cover the whole text.
struct PreTokenizerSplitter: @unchecked Sendable {
    // `Regex` is not `Sendable`; it is immutable after creation and matching does not mutate it.
    private let regex: Regex<AnyRegexOutput>

    init(_ preTokenizer: PreTokenizer) {
        // The patterns are constants of this module, so failing to compile one is a bug here.
        guard let regex = try? Regex(preTokenizer.pattern) else {
            preconditionFailure("invalid pre-tokenizer pattern \(preTokenizer)")
        }
        self.regex = regex.matchingSemantics(.unicodeScalar)
    }

    /// The words of `text` (valid UTF-8) as byte ranges, in order; empty text gives none.
    func split(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let string = String(decoding: text, as: UTF8.self)
        let utf8 = string.utf8
        var words: [Range<Int>] = []
        var covered = 0
        for match in string.matches(of: regex) where !match.range.isEmpty {
            let start = utf8.distance(from: utf8.startIndex, to: match.range.lowerBound)
            let end = start + utf8.distance(from: match.range.lowerBound, to: match.range.upperBound)
            if start > covered { words.append(covered ..< start) }
            words.append(start ..< end)
            covered = end
        }
        if covered < utf8.count { words.append(covered ..< utf8.count) }
        return words
    }
}
