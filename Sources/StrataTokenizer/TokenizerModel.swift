/// The tokenization algorithm a vocabulary is made for (GGUF `tokenizer.ggml.model`).
public enum TokenizerModel: Sendable, Equatable {
    /// SentencePiece with byte fallback (GGUF `llama`): Llama 1/2, Gemma, Mistral v1, Phi-3.
    case sentencePiece
    /// Byte-level BPE (GGUF `gpt2`): GPT-2, Llama 3, Qwen2.
    case bytePairEncoding

    /// The model named `name` in GGUF; throws `unsupportedModel` for models not implemented yet.
    public init(ggufName name: String) throws(TokenizerError) {
        switch name {
        case "llama": self = .sentencePiece
        case "gpt2": self = .bytePairEncoding
        default: throw .unsupportedModel(name)
        }
    }

    /// The name GGUF uses for this model.
    public var ggufName: String {
        switch self {
        case .sentencePiece: "llama"
        case .bytePairEncoding: "gpt2"
        }
    }
}
