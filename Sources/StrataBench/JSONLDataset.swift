import Foundation

/// `--dataset jsonl` and `--dataset replay`: requests read from a file.
///
/// Each entry is either `{"prompt": "...", "max_tokens": N}` or a ShareGPT-style conversation
/// `{"conversations": [{"from": "human", "value": "..."}, {"from": "gpt", "value": "..."}]}`
/// (the first human/user turn is the prompt; the reply's estimated length is `max_tokens` unless
/// a fixed output length is given). The file is JSON Lines, or one JSON array of entries.
/// Replay entries also carry `"timestamp"` (seconds, any origin, non-decreasing): requests are
/// then sent at the recorded offsets from the first one.
public struct JSONLDataset: Sendable {
    /// The entries in file order.
    public let entries: [Entry]

    /// One entry of the file.
    public struct Entry: Sendable, Equatable {
        /// The prompt text.
        public var prompt: String
        /// `max_tokens`, if the entry gives it (or a reply to estimate it from).
        public var maxTokens: Int?
        /// The recorded send time, for replay.
        public var timestamp: Double?
    }

    /// Reads and validates `path`; errors name the file and line.
    public init(path: String) throws(BenchError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .dataset(file: path, line: nil, reason: "cannot read the file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), name: path)
    }

    /// Parses `text`; `name` is used in error messages.
    public init(text: String, name: String) throws(BenchError) {
        var objects: [(line: Int, object: Any)] = []
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("[") {
            guard let array = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [Any] else {
                throw .dataset(file: name, line: nil, reason: "not a valid JSON array")
            }
            objects = array.enumerated().map { (line: $0.offset + 1, object: $0.element) }
        } else {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else {
                    throw .dataset(file: name, line: index + 1, reason: "not valid JSON")
                }
                objects.append((index + 1, object))
            }
        }
        var entries: [Entry] = []
        for (line, object) in objects {
            guard let dictionary = object as? [String: Any] else {
                throw .dataset(file: name, line: line, reason: "an entry must be a JSON object")
            }
            entries.append(try Self.entry(dictionary, file: name, line: line))
        }
        guard !entries.isEmpty else { throw .dataset(file: name, line: nil, reason: "no entries") }
        self.entries = entries
    }

    private static func entry(_ object: [String: Any], file: String, line: Int) throws(BenchError) -> Entry {
        let timestamp = (object["timestamp"] as? NSNumber)?.doubleValue
        if let prompt = object["prompt"] as? String {
            let maxTokens = (object["max_tokens"] as? NSNumber)?.intValue
            if let maxTokens, maxTokens < 1 { throw .dataset(file: file, line: line, reason: "max_tokens must be at least 1") }
            return Entry(prompt: prompt, maxTokens: maxTokens, timestamp: timestamp)
        }
        if let turns = object["conversations"] as? [[String: Any]] {
            let roles = turns.map { ($0["from"] as? String ?? $0["role"] as? String ?? "", $0["value"] as? String ?? $0["content"] as? String ?? "") }
            guard let first = roles.firstIndex(where: { $0.0 == "human" || $0.0 == "user" }), !roles[first].1.isEmpty else {
                throw .dataset(file: file, line: line, reason: "the conversation has no human or user turn")
            }
            let reply = roles[(first + 1)...].first { $0.0 == "gpt" || $0.0 == "assistant" }
            return Entry(prompt: roles[first].1, maxTokens: reply.map { TokenEstimate.tokens(in: $0.1) }, timestamp: timestamp)
        }
        throw .dataset(file: file, line: line, reason: "an entry needs \"prompt\" or \"conversations\"")
    }

    /// The first `count` requests, cycling through the entries when there are fewer.
    /// `outputLength`, when given, overrides every entry's `max_tokens`; `defaultOutputLength`
    /// is used for entries without one.
    public func requests(count: Int, outputLength: Int?, defaultOutputLength: Int) -> [BenchRequest] {
        (0 ..< count).map { id in
            let entry = entries[id % entries.count]
            return BenchRequest(
                id: id, prompt: entry.prompt, maxTokens: outputLength ?? entry.maxTokens ?? defaultOutputLength,
                estimatedInputTokens: TokenEstimate.tokens(in: entry.prompt)
            )
        }
    }

    /// The replay workload: the first `count` entries (at most all of them) at their recorded
    /// offsets from the first entry. Throws when an entry lacks a timestamp or time goes backwards.
    public func replay(count: Int?, outputLength: Int?, defaultOutputLength: Int, name: String) throws(BenchError) -> Workload {
        let used = min(count ?? entries.count, entries.count)
        var offsets: [Double] = []
        for (index, entry) in entries.prefix(used).enumerated() {
            guard let timestamp = entry.timestamp, timestamp.isFinite else {
                throw .dataset(file: name, line: index + 1, reason: "a replay entry needs a numeric \"timestamp\"")
            }
            let offset = timestamp - (entries[0].timestamp ?? timestamp)
            if let last = offsets.last, offset < last {
                throw .dataset(file: name, line: index + 1, reason: "timestamps must not decrease")
            }
            offsets.append(offset)
        }
        return Workload(
            requests: requests(count: used, outputLength: outputLength, defaultOutputLength: defaultOutputLength),
            recordedOffsets: offsets
        )
    }
}
