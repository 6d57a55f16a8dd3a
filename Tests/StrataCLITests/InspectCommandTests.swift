import Foundation
import StrataTestSupport
import XCTest

/// `strata inspect` on the default model and the tiny models, text and JSON.
final class InspectCommandTests: XCTestCase {
    private var strata: StrataBinary!

    override func setUpWithError() throws {
        strata = try StrataBinary.locate()
    }

    private func inspectJSON(_ path: String) throws -> [String: Any] {
        let output = try strata.run(["inspect", "--model", path, "--json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// The text report as `key → value`, one `key: value` per line (tensor-type lines included).
    private func inspectText(_ arguments: [String]) throws -> [String: String] {
        let output = try strata.run(["inspect"] + arguments)
        XCTAssertEqual(output.status, 0, output.stderr)
        var fields: [String: String] = [:]
        for line in output.stdout.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces)] =
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    func testDefaultModelText() throws {
        let model = try TestResources.requireDefaultModel()
        let fields = try inspectText(["--model", model])
        XCTAssertEqual(fields["architecture"], "gemma3")
        XCTAssertEqual(fields["file type"], "Q4_K_M")
        XCTAssertEqual(fields["tensors"], "236")
        XCTAssertEqual(fields["layers"], "18")
        XCTAssertEqual(fields["embedding width"], "640")
        XCTAssertEqual(fields["heads"], "4 (KV heads 1)")
        XCTAssertEqual(fields["feed-forward width"], "2048")
        XCTAssertEqual(fields["vocabulary"], "262144")
        XCTAssertEqual(fields["license"], "gemma")
        XCTAssertEqual(fields["parameters"], "268.1M (268098176)")
        XCTAssertEqual(Set(["F32", "Q8_0", "Q5_0", "Q4_K", "Q6_K"]).subtracting(fields.keys), [])
        XCTAssertTrue(fields["chat template"]?.hasPrefix("no (Strata's built-in gemma3 template") ?? false, "\(fields)")
        // The positional path gives the same report.
        XCTAssertEqual(try inspectText([model]), fields)
    }

    func testDefaultModelJSON() throws {
        let json = try inspectJSON(try TestResources.requireDefaultModel())
        XCTAssertEqual(json["architecture"] as? String, "gemma3")
        XCTAssertEqual(json["block_count"] as? Int, 18)
        XCTAssertEqual(json["embedding_length"] as? Int, 640)
        XCTAssertEqual(json["head_count"] as? Int, 4)
        XCTAssertEqual(json["head_count_kv"] as? Int, 1)
        XCTAssertEqual(json["vocabulary_size"] as? Int, 262_144)
        XCTAssertEqual(json["tokenizer_model"] as? String, "llama")
        XCTAssertEqual(json["has_chat_template"] as? Bool, false)
        XCTAssertEqual(json["has_builtin_chat_template"] as? Bool, true)
        XCTAssertEqual(json["file_bytes"] as? Int, 253_113_024)
        let types = try XCTUnwrap(json["tensor_types"] as? [[String: Any]])
        XCTAssertEqual(Set(types.compactMap { $0["type"] as? String }), ["F32", "Q8_0", "Q5_0", "Q4_K", "Q6_K"])
        XCTAssertEqual(types.compactMap { $0["count"] as? Int }.reduce(0, +), json["tensor_count"] as? Int)
        XCTAssertLessThan(types.compactMap { $0["bytes"] as? Int }.reduce(0, +), 253_113_024)
    }

    /// Every figure against the tiny models' reference files (written by gguf-py and llama.cpp).
    func testTinyModelsJSONMatchTheirReferences() throws {
        for (name, fileType) in [("tiny-llama-q4km", "Q4_K_M"), ("tiny-qwen2-q8", "Q8_0")] {
            let path = try TestResources.requireFixture("tiny-models/\(name).gguf").path
            let reference = try XCTUnwrap(
                try TestResources.fixtureJSON("tiny-models/\(name).reference.json") as? [String: Any])
            let architecture = try XCTUnwrap(reference["architecture"] as? String)
            let hparams = try XCTUnwrap(reference["hparams"] as? [String: Any])
            let tensors = try XCTUnwrap(reference["tensors"] as? [[String: Any]])
            let json = try inspectJSON(path)
            XCTAssertEqual(json["architecture"] as? String, architecture, name)
            XCTAssertEqual(json["file_type"] as? String, fileType, name)
            XCTAssertEqual(json["file_bytes"] as? Int, reference["model_bytes"] as? Int, name)
            XCTAssertEqual(json["tensor_count"] as? Int, tensors.count, name)
            let parameters = tensors.map { ($0["shape"] as? [Int] ?? []).reduce(1, *) }.reduce(0, +)
            XCTAssertEqual(json["parameters"] as? Int, parameters, name)
            var counts: [String: Int] = [:]
            for type in try XCTUnwrap(json["tensor_types"] as? [[String: Any]]) {
                counts[type["type"] as? String ?? "?"] = type["count"] as? Int
            }
            XCTAssertEqual(counts, reference["tensor_type_counts"] as? [String: Int], name)
            for (key, hparam) in [("context_length", "context_length"), ("embedding_length", "embedding_length"),
                                  ("block_count", "block_count"), ("feed_forward_length", "feed_forward_length"),
                                  ("head_count", "attention.head_count"), ("head_count_kv", "attention.head_count_kv"),
                                  ("vocabulary_size", "vocab_size")] {
                XCTAssertEqual(json[key] as? Int, hparams["\(architecture).\(hparam)"] as? Int, "\(name) \(key)")
            }
            XCTAssertEqual(json["has_chat_template"] as? Bool, architecture == "qwen2", name)
            XCTAssertTrue(json.keys.contains("license"), "absent metadata is null, not missing")
        }
    }

    func testTinyLlamaText() throws {
        let path = try TestResources.requireFixture("tiny-models/tiny-llama-q4km.gguf").path
        let fields = try inspectText([path])
        XCTAssertEqual(fields["architecture"], "llama")
        XCTAssertEqual(fields["heads"], "4 (KV heads 2)")
        XCTAssertEqual(fields["tensors"], "21")
        XCTAssertTrue(fields["F32"]?.hasPrefix("5 tensors, ") ?? false, "\(fields)")
        XCTAssertTrue(fields["Q4_K"]?.hasPrefix("13 tensors, ") ?? false, "\(fields)")
        XCTAssertTrue(fields["Q6_K"]?.hasPrefix("3 tensors, ") ?? false, "\(fields)")
        XCTAssertEqual(fields["tokenizer"], "llama (SentencePiece, pre-tokenizer default)")
        XCTAssertEqual(fields["chat template"], "no")
    }

    func testUnsupportedArchitectureIsAOneLineError() throws {
        let vocab = try TestResources.requireFixture("vocab/ggml-vocab-gpt-2.gguf").path
        let output = try strata.run(["inspect", vocab])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(output.stderr, "Error: unsupported model architecture 'gpt2'\n")
    }
}
