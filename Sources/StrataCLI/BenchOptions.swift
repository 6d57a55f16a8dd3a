import ArgumentParser
import StrataBench

extension Endpoint: ExpressibleByArgument {}
extension DatasetKind: ExpressibleByArgument {}

/// The server a benchmark targets and how requests are sent.
struct BenchTargetOptions: ParsableArguments {
    @Option(name: .long, help: "Base URL of the server, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(name: .long, help: "The model name sent in each request.")
    var model: String

    @Option(name: .long, help: "API key, sent as a Bearer token.")
    var apiKey: String?

    @Option(name: .long, help: "completions (/v1/completions) or chat (/v1/chat/completions).")
    var endpoint: Endpoint = .completions

    @Flag(name: .long, help: "Use HTTP/2: by ALPN over https://, with prior knowledge (h2c) over http://.")
    var http2 = false

    @Flag(name: .long, help: "Ask for whole responses instead of streams (no TTFT, TPOT or ITL).")
    var noStream = false

    @Option(name: .long, help: "Sampling temperature sent with each request (the server's default when absent).")
    var temperature: Double?

    @Flag(name: .long, help: "Send ignore_eos: true so every request generates max_tokens (vLLM, llama.cpp).")
    var ignoreEos = false

    @Option(name: .long, help: "Seconds a request may take, and the longest pause within a response.")
    var timeout = 300.0

    func server() throws(BenchError) -> TargetServer {
        try TargetServer(
            baseURL: url, model: model, apiKey: apiKey, endpoint: endpoint, stream: !noStream, http2: http2,
            temperature: temperature, ignoreEOS: ignoreEos, timeout: timeout
        )
    }
}

/// What the requests contain.
struct BenchWorkloadOptions: ParsableArguments {
    @Option(name: .long, help: "random, jsonl, prefix or replay.")
    var dataset: DatasetKind = .random

    @Option(name: .long, help: "The JSONL/ShareGPT file (jsonl, replay).")
    var datasetPath: String?

    @Option(name: .long, help: "Prompt length in tokens (random; the distinct suffix for prefix).")
    var inputLen = 128

    @Option(name: .long, help: "max_tokens of each request (files: overrides the entries' own).")
    var outputLen: Int?

    @Option(name: .long, help: "Spread r of random lengths: uniform in [len·(1-r), len·(1+r)].")
    var rangeRatio = 0.0

    @Option(name: .long, help: "Number of shared prefixes (prefix).")
    var prefixGroups = 4

    @Option(name: .long, help: "Shared prefix length in tokens (prefix).")
    var prefixLen = 256

    @Option(name: .long, help: "Directory of text files random prompts are cut from.")
    var corpusDir = CorpusText.defaultDirectory

    func spec(seed: UInt64) -> WorkloadSpec {
        WorkloadSpec(
            kind: dataset, path: datasetPath, inputLength: inputLen, outputLength: outputLen, rangeRatio: rangeRatio,
            prefixGroups: prefixGroups, prefixLength: prefixLen, corpusDirectory: corpusDir, seed: seed
        )
    }
}
