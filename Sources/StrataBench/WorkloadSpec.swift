import StrataEngine

/// The `--dataset` kinds.
public enum DatasetKind: String, Sendable, CaseIterable {
    /// Prompts of a given length cut from real text.
    case random
    /// Prompts from a JSONL or ShareGPT file.
    case jsonl
    /// Groups sharing a common prefix.
    case prefix
    /// Prompts and send times from a log.
    case replay
}

/// What a workload is made of; `build` turns it into warm-up and measured requests.
public struct WorkloadSpec: Sendable {
    /// The dataset kind.
    public var kind: DatasetKind
    /// The file, for `jsonl` and `replay`.
    public var path: String?
    /// Prompt length in tokens (`random`; suffix length for `prefix`).
    public var inputLength: Int
    /// `max_tokens`; for files, `nil` keeps each entry's own (else `defaultOutputLength`).
    public var outputLength: Int?
    /// Used when neither the option nor the entry gives `max_tokens`.
    public var defaultOutputLength: Int
    /// Spread of the random lengths.
    public var rangeRatio: Double
    /// Number of shared prefixes (`prefix`).
    public var prefixGroups: Int
    /// Shared prefix length in tokens (`prefix`).
    public var prefixLength: Int
    /// Where the prose for `random` and `prefix` prompts comes from.
    public var corpusDirectory: String
    /// Seed of the prompt draws.
    public var seed: UInt64

    /// A spec with the defaults of `strata bench`.
    public init(
        kind: DatasetKind, path: String? = nil, inputLength: Int = 128, outputLength: Int? = nil, defaultOutputLength: Int = 32,
        rangeRatio: Double = 0, prefixGroups: Int = 4, prefixLength: Int = 256,
        corpusDirectory: String = CorpusText.defaultDirectory, seed: UInt64 = 0
    ) {
        self.kind = kind
        self.path = path
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.defaultOutputLength = defaultOutputLength
        self.rangeRatio = rangeRatio
        self.prefixGroups = prefixGroups
        self.prefixLength = prefixLength
        self.corpusDirectory = corpusDirectory
        self.seed = seed
    }

    /// `warmup` warm-up requests and a pool of `count` measured requests (for `replay`, at most
    /// the file's entries, with their recorded offsets). Warm-up prompts are distinct from the
    /// measured ones for generated datasets; file datasets warm up on their first entries.
    public func build(warmup: Int, count: Int?) throws(BenchError) -> (warmup: [BenchRequest], workload: Workload) {
        var random = RandomSource(seed: seed)
        let total = warmup + (count ?? 1000)
        func split(_ all: [BenchRequest]) -> ([BenchRequest], Workload) {
            let measured = all.dropFirst(warmup).enumerated().map { index, request in
                var request = request
                request.id = index
                return request
            }
            return (Array(all.prefix(warmup)), Workload(requests: measured))
        }
        switch kind {
        case .random:
            let dataset = try RandomDataset(inputLength: inputLength, outputLength: outputLength ?? defaultOutputLength, rangeRatio: rangeRatio)
            return split(dataset.requests(count: total, corpus: try CorpusText(directory: corpusDirectory), using: &random))
        case .prefix:
            let dataset = try PrefixDataset(
                groups: prefixGroups, prefixLength: prefixLength, suffixLength: inputLength,
                outputLength: outputLength ?? defaultOutputLength
            )
            return split(dataset.requests(count: total, corpus: try CorpusText(directory: corpusDirectory), using: &random))
        case .jsonl, .replay:
            guard let path else { throw .invalidOption("--dataset \(kind.rawValue) needs --dataset-path FILE") }
            let file = try JSONLDataset(path: path)
            let warm = file.requests(count: warmup, outputLength: outputLength, defaultOutputLength: defaultOutputLength)
            if kind == .replay {
                return (warm, try file.replay(count: count, outputLength: outputLength, defaultOutputLength: defaultOutputLength, name: path))
            }
            let measured = file.requests(count: count ?? file.entries.count, outputLength: outputLength, defaultOutputLength: defaultOutputLength)
            return (warm, Workload(requests: measured))
        }
    }
}
