import StrataChat
import StrataGGUF
import StrataModels

/// What `strata inspect` reports about a GGUF file, read from its header alone (no weights touched).
struct ModelSummary: Encodable {
    struct TensorType: Encodable {
        let type: String
        let count: Int
        let bytes: Int
    }

    let path: String
    let fileBytes: Int
    let ggufVersion: Int
    let architecture: String
    let name: String?
    let license: String?
    let fileType: String?
    let parameters: Int
    let tensorCount: Int
    let tensorTypes: [TensorType]
    let contextLength: Int?
    let embeddingLength: Int?
    let blockCount: Int?
    let headCount: Int?
    let headCountKV: Int?
    let feedForwardLength: Int?
    let vocabularySize: Int?
    let tokenizerModel: String?
    let tokenizerPre: String?
    let hasChatTemplate: Bool
    /// Whether Strata has a built-in template for the architecture (used when the file has none).
    let hasBuiltinChatTemplate: Bool

    init(path: String, file: GGUFFile) throws(ModelError) {
        let metadata = file.metadata
        let architecture = try ArchitectureRegistry.architecture(of: file)
        guard ArchitectureRegistry.loaders[architecture] != nil else {
            throw .unsupportedArchitecture(architecture)
        }
        func string(_ key: String) -> String? { (try? metadata.stringIfPresent(key)) ?? nil }
        func integer(_ key: String) -> Int? { (try? metadata.integerIfPresent(key)) ?? nil }
        self.path = path
        self.architecture = architecture
        fileBytes = file.fileSize
        ggufVersion = Int(file.version)
        name = string("general.name")
        license = string("general.license")
        fileType = integer("general.file_type").map(Self.fileTypeName)
        parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        tensorCount = file.tensors.count
        var histogram: [GGMLType: (count: Int, bytes: Int)] = [:]
        for tensor in file.tensors {
            histogram[tensor.type, default: (0, 0)].count += 1
            histogram[tensor.type, default: (0, 0)].bytes += tensor.byteCount
        }
        tensorTypes = histogram.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { TensorType(type: $0.key.description, count: $0.value.count, bytes: $0.value.bytes) }
        contextLength = integer("\(architecture).context_length")
        embeddingLength = integer("\(architecture).embedding_length")
        blockCount = integer("\(architecture).block_count")
        headCount = integer("\(architecture).attention.head_count")
        headCountKV = integer("\(architecture).attention.head_count_kv") ?? headCount
        feedForwardLength = integer("\(architecture).feed_forward_length")
        if case let .array(_, tokens)? = metadata["tokenizer.ggml.tokens"] {
            vocabularySize = tokens.count
        } else {
            vocabularySize = nil
        }
        tokenizerModel = string("tokenizer.ggml.model")
        tokenizerPre = string("tokenizer.ggml.pre")
        hasChatTemplate = string("tokenizer.chat_template") != nil
        hasBuiltinChatTemplate = (try? ChatTemplate.builtin(architecture: architecture)) != nil
    }

    private enum CodingKeys: String, CodingKey {
        case path, fileBytes, ggufVersion, architecture, name, license, fileType, parameters, tensorCount
        case tensorTypes, contextLength, embeddingLength, blockCount, headCount, headCountKV = "headCountKv"
        case feedForwardLength, vocabularySize, tokenizerModel, tokenizerPre, hasChatTemplate, hasBuiltinChatTemplate
    }

    /// Every key is always present; what the file does not say is `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(fileBytes, forKey: .fileBytes)
        try container.encode(ggufVersion, forKey: .ggufVersion)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(name, forKey: .name)
        try container.encode(license, forKey: .license)
        try container.encode(fileType, forKey: .fileType)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(tensorCount, forKey: .tensorCount)
        try container.encode(tensorTypes, forKey: .tensorTypes)
        try container.encode(contextLength, forKey: .contextLength)
        try container.encode(embeddingLength, forKey: .embeddingLength)
        try container.encode(blockCount, forKey: .blockCount)
        try container.encode(headCount, forKey: .headCount)
        try container.encode(headCountKV, forKey: .headCountKV)
        try container.encode(feedForwardLength, forKey: .feedForwardLength)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        try container.encode(tokenizerModel, forKey: .tokenizerModel)
        try container.encode(tokenizerPre, forKey: .tokenizerPre)
        try container.encode(hasChatTemplate, forKey: .hasChatTemplate)
        try container.encode(hasBuiltinChatTemplate, forKey: .hasBuiltinChatTemplate)
    }

    /// llama.cpp's name for a `general.file_type` value (`llama_ftype`).
    static func fileTypeName(_ value: Int) -> String {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
            11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
            17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
            23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
            29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
        ]
        return names[value] ?? "unknown (\(value))"
    }

    /// The tokenizer as one phrase: `gpt2 (BPE, pre-tokenizer qwen2)`, `llama (SentencePiece)`.
    var tokenizerDescription: String {
        guard let model = tokenizerModel else { return "none" }
        let kind = switch model {
        case "llama": "SentencePiece"
        case "gpt2": "byte-level BPE"
        default: "unsupported"
        }
        return tokenizerPre.map { "\(model) (\(kind), pre-tokenizer \($0))" } ?? "\(model) (\(kind))"
    }

    /// The human-readable report, one `key: value` per line.
    var text: String {
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        var lines = [
            ("file", "\(path) (\(fileBytes) bytes, GGUF v\(ggufVersion))"),
            ("architecture", architecture),
            ("name", name ?? "-"),
            ("license", license ?? "-"),
            ("file type", fileType ?? "-"),
            ("parameters", "\(Self.abbreviated(parameters)) (\(parameters))"),
            ("tensors", "\(tensorCount)"),
        ]
        for type in tensorTypes {
            lines.append(("  \(type.type)", "\(type.count) tensors, \(type.bytes) bytes"))
        }
        lines += [
            ("context length", optional(contextLength)),
            ("embedding width", optional(embeddingLength)),
            ("layers", optional(blockCount)),
            ("heads", "\(optional(headCount)) (KV heads \(optional(headCountKV)))"),
            ("feed-forward width", optional(feedForwardLength)),
            ("vocabulary", optional(vocabularySize)),
            ("tokenizer", tokenizerDescription),
            ("chat template", hasChatTemplate ? "yes" : hasBuiltinChatTemplate ? "no (Strata's built-in \(architecture) template applies)" : "no"),
        ]
        let keyWidth = lines.map(\.0.count).max() ?? 0
        return lines.map { key, value in
            (key + ":").padding(toLength: keyWidth + 2, withPad: " ", startingAt: 0) + value
        }.joined(separator: "\n")
    }

    /// 268098176 → "268.1M".
    static func abbreviated(_ count: Int) -> String {
        let value = Double(count)
        return switch value {
        case 1e9...: String(format: "%.2fB", value / 1e9)
        case 1e6...: String(format: "%.1fM", value / 1e6)
        case 1e3...: String(format: "%.1fK", value / 1e3)
        default: "\(count)"
        }
    }
}
