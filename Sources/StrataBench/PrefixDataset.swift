import StrataEngine

/// `--dataset prefix`: `groups` groups of requests, each group sharing a common prefix of about
/// `prefixLength` tokens followed by a distinct suffix of about `suffixLength` tokens, to measure
/// a server's prefix caching. Request i belongs to group i mod `groups`.
public struct PrefixDataset: Sendable {
    /// Number of distinct shared prefixes.
    public var groups: Int
    /// Length of each shared prefix, in tokens.
    public var prefixLength: Int
    /// Length of each request's own suffix, in tokens.
    public var suffixLength: Int
    /// `max_tokens` of each request.
    public var outputLength: Int

    /// A prefix dataset; throws when a count or length is below 1.
    public init(groups: Int, prefixLength: Int, suffixLength: Int, outputLength: Int) throws(BenchError) {
        guard groups >= 1, prefixLength >= 1, suffixLength >= 1, outputLength >= 1 else {
            throw .invalidOption("--prefix-groups, --prefix-len, --input-len and --output-len must be at least 1")
        }
        self.groups = groups
        self.prefixLength = prefixLength
        self.suffixLength = suffixLength
        self.outputLength = outputLength
    }

    /// `count` requests drawn from `corpus`.
    public func requests(count: Int, corpus: CorpusText, using random: inout RandomSource) -> [BenchRequest] {
        let prefixWords = TokenEstimate.words(forTokens: prefixLength)
        let prefixes = (0 ..< groups).map { _ in
            corpus.passage(from: Int(random.next() % UInt64(corpus.words.count)), words: prefixWords)
        }
        return (0 ..< count).map { id in
            let start = Int(random.next() % UInt64(corpus.words.count))
            let suffix = corpus.passage(from: start, words: TokenEstimate.words(forTokens: suffixLength))
            return BenchRequest(
                id: id, prompt: prefixes[id % groups] + "\n\n" + suffix, maxTokens: outputLength,
                estimatedInputTokens: prefixLength + suffixLength
            )
        }
    }
}
