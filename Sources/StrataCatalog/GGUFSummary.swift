import StrataGGUF

/// What the catalog records from a GGUF file's metadata and tensor infos.
struct GGUFSummary: Equatable {
    var architecture: String?
    var parameterCount: Int64
    var quantization: String?
    var contextLength: Int64?
    var tokenizer: String?
    var hasChatTemplate: Bool
    var license: String?

    /// Reads the summary of the GGUF file at `path` (fully validated by `GGUFFile`).
    init(path: String) throws(CatalogError) {
        do {
            try self.init(file: GGUFFile(path: path))
        } catch let error as GGUFError {
            throw .notAModel(path: path, reason: String(describing: error))
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .notAModel(path: path, reason: String(describing: error))
        }
    }

    init(file: GGUFFile) throws {
        let metadata = file.metadata
        architecture = try metadata.stringIfPresent("general.architecture")
        parameterCount = file.tensors.reduce(0) { $0 + Int64($1.elementCount) }
        let fileType = try metadata.integerIfPresent("general.file_type")
        quantization = fileType.flatMap(Self.fileTypeName) ?? Self.dominantType(file.tensors)
        contextLength = try architecture
            .flatMap { architecture throws(GGUFError) in try metadata.integerIfPresent(architecture + ".context_length") }
            .map(Int64.init)
        tokenizer = try metadata.stringIfPresent("tokenizer.ggml.model")
        hasChatTemplate = metadata.contains("tokenizer.chat_template")
        license = try metadata.stringIfPresent("general.license")
    }

    /// The tensor type holding the most bytes, upper-cased (`Q4_K`), or nil without tensors.
    static func dominantType(_ tensors: [GGUFTensorInfo]) -> String? {
        var bytes: [GGMLType: Int] = [:]
        for tensor in tensors { bytes[tensor.type, default: 0] += tensor.byteCount }
        return bytes.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?
            .key.description.uppercased()
    }

    /// llama.cpp's `llama_ftype` names, as `general.file_type` numbers them.
    static func fileTypeName(_ value: Int) -> String? {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
            10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M",
            16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S",
            22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M",
            28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
            37: "TQ2_0", 38: "MXFP4",
        ]
        return names[value]
    }
}
