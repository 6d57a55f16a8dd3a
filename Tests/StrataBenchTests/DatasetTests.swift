@testable import StrataBench
import StrataEngine
import XCTest

/// Building workloads: random and prefix prompts from real text, JSONL, ShareGPT and replay files.
final class DatasetTests: XCTestCase {
    private func corpus() throws -> CorpusText { try CorpusText(directory: CorpusText.defaultDirectory) }

    func testCorpusIsTheDebianLicenseTexts() throws {
        let words = try corpus().words
        XCTAssertGreaterThan(words.count, 10_000)
        XCTAssertTrue(words.contains("GNU"))
        XCTAssertThrowsError(try CorpusText(directory: "/nonexistent"))
        XCTAssertThrowsError(try CorpusText(text: "too short"))
    }

    func testRandomDatasetIsReproducibleAndWithinRange() throws {
        let dataset = try RandomDataset(inputLength: 100, outputLength: 20, rangeRatio: 0.5)
        let corpus = try corpus()
        var first = RandomSource(seed: 3), second = RandomSource(seed: 3)
        let a = dataset.requests(count: 200, corpus: corpus, using: &first)
        XCTAssertEqual(a, dataset.requests(count: 200, corpus: corpus, using: &second))
        for request in a {
            XCTAssertTrue((50 ... 150).contains(request.estimatedInputTokens))
            XCTAssertTrue((10 ... 30).contains(request.maxTokens))
            let words = request.prompt.split(separator: " ").count
            XCTAssertEqual(words, TokenEstimate.words(forTokens: request.estimatedInputTokens))
        }
        XCTAssertEqual(a.map(\.id), Array(0 ..< 200))
        XCTAssertGreaterThan(Set(a.map(\.prompt)).count, 190, "prompts start at random places")
        XCTAssertThrowsError(try RandomDataset(inputLength: 0, outputLength: 1))
        XCTAssertThrowsError(try RandomDataset(inputLength: 1, outputLength: 1, rangeRatio: 1))
    }

    func testFixedLengthsWithoutRangeRatio() throws {
        var random = RandomSource(seed: 1)
        let requests = try RandomDataset(inputLength: 40, outputLength: 7).requests(count: 10, corpus: try corpus(), using: &random)
        XCTAssertEqual(Set(requests.map(\.maxTokens)), [7])
        XCTAssertEqual(Set(requests.map { $0.prompt.split(separator: " ").count }), [30])
    }

    func testPrefixGroupsShareTheirPrefix() throws {
        var random = RandomSource(seed: 5)
        let requests = try PrefixDataset(groups: 3, prefixLength: 40, suffixLength: 8, outputLength: 4)
            .requests(count: 9, corpus: try corpus(), using: &random)
        func prefix(_ request: BenchRequest) -> Substring { request.prompt.split(separator: "\n\n", maxSplits: 1)[0] }
        XCTAssertEqual(prefix(requests[0]), prefix(requests[3]))
        XCTAssertEqual(prefix(requests[1]), prefix(requests[7]))
        XCTAssertNotEqual(prefix(requests[0]), prefix(requests[1]))
        XCTAssertEqual(prefix(requests[0]).split(separator: " ").count, 30)
        XCTAssertEqual(Set(requests.map(\.prompt)).count, 9, "suffixes differ")
    }

    func testJSONLPromptsAndShareGPT() throws {
        let text = """
        {"prompt": "Hello there", "max_tokens": 5}

        {"conversations": [{"from": "system", "value": "be brief"}, {"from": "human", "value": "Why?"}, {"from": "gpt", "value": "one two three"}]}
        {"prompt": "No limit"}
        """
        let dataset = try JSONLDataset(text: text, name: "d.jsonl")
        XCTAssertEqual(dataset.entries.map(\.prompt), ["Hello there", "Why?", "No limit"])
        XCTAssertEqual(dataset.entries.map(\.maxTokens), [5, 4, nil])
        let requests = dataset.requests(count: 5, outputLength: nil, defaultOutputLength: 9)
        XCTAssertEqual(requests.map(\.maxTokens), [5, 4, 9, 5, 4])
        XCTAssertEqual(requests.map(\.id), [0, 1, 2, 3, 4])
        XCTAssertEqual(dataset.requests(count: 2, outputLength: 3, defaultOutputLength: 9).map(\.maxTokens), [3, 3])
        let array = try JSONLDataset(text: #"[{"conversations": [{"from": "user", "value": "Hi"}]}]"#, name: "a.json")
        XCTAssertEqual(array.entries.first?.prompt, "Hi")
    }

    func testJSONLErrorsNameTheLine() {
        XCTAssertThrowsError(try JSONLDataset(text: "{\"prompt\": \"a\"}\n{oops", name: "d.jsonl")) { error in
            XCTAssertEqual(error as? BenchError, .dataset(file: "d.jsonl", line: 2, reason: "not valid JSON"))
        }
        XCTAssertThrowsError(try JSONLDataset(text: "{\"text\": \"a\"}", name: "d.jsonl")) { error in
            XCTAssertEqual((error as? BenchError)?.description, "d.jsonl:1: an entry needs \"prompt\" or \"conversations\"")
        }
        XCTAssertThrowsError(try JSONLDataset(text: "\n\n", name: "e.jsonl"))
        XCTAssertThrowsError(try JSONLDataset(path: "/nonexistent/file.jsonl"))
    }

    func testReplayUsesRecordedOffsets() throws {
        let text = """
        {"timestamp": 100.5, "prompt": "a", "max_tokens": 2}
        {"timestamp": 101.0, "prompt": "b", "max_tokens": 2}
        {"timestamp": 103.5, "prompt": "c"}
        """
        let workload = try JSONLDataset(text: text, name: "r").replay(count: nil, outputLength: nil, defaultOutputLength: 8, name: "r")
        XCTAssertEqual(workload.recordedOffsets, [0, 0.5, 3.0])
        XCTAssertEqual(workload.requests.map(\.maxTokens), [2, 2, 8])
        XCTAssertEqual(try JSONLDataset(text: text, name: "r").replay(count: 2, outputLength: nil, defaultOutputLength: 8, name: "r").requests.count, 2)
        let backwards = "{\"timestamp\": 2, \"prompt\": \"a\"}\n{\"timestamp\": 1, \"prompt\": \"b\"}"
        XCTAssertThrowsError(try JSONLDataset(text: backwards, name: "r").replay(count: nil, outputLength: nil, defaultOutputLength: 8, name: "r"))
        XCTAssertThrowsError(try JSONLDataset(text: "{\"prompt\": \"a\"}", name: "r").replay(count: nil, outputLength: nil, defaultOutputLength: 8, name: "r"))
    }

    func testWorkloadSpecSeparatesWarmupFromMeasured() throws {
        let built = try WorkloadSpec(kind: .random, inputLength: 16, outputLength: 4, seed: 9).build(warmup: 3, count: 10)
        XCTAssertEqual(built.warmup.count, 3)
        XCTAssertEqual(built.workload.requests.map(\.id), Array(0 ..< 10))
        XCTAssertTrue(Set(built.warmup.map(\.prompt)).isDisjoint(with: built.workload.requests.map(\.prompt)))
        XCTAssertThrowsError(try WorkloadSpec(kind: .jsonl).build(warmup: 0, count: 1))
    }
}
