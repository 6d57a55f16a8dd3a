/// The regex split a byte-level BPE vocabulary applies before merging (GGUF `tokenizer.ggml.pre`),
/// as llama.cpp's `llama_vocab` selects it per pre-tokenizer name. The patterns are the ones in
/// the models' `tokenizer.json` (llama.cpp matches them with hand-written scanners).
enum PreTokenizer: Sendable, Equatable {
    /// GPT-2: contractions, optional space + letters / digits / other, trailing whitespace.
    case gpt2
    /// Llama 3: case-insensitive contractions, letters with one leading non-letter, 1–3 digits,
    /// punctuation runs with their line breaks, line-break runs, whitespace.
    case llama3
    /// Qwen2: as Llama 3, but digits one at a time.
    case qwen2

    /// The pre-tokenizer llama.cpp uses for `name`; throws `unsupportedPreTokenizer` otherwise.
    init(ggufName name: String?) throws(TokenizerError) {
        switch name {
        case "gpt-2", "phi-2": self = .gpt2
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen", "kormo": self = .qwen2
        default: throw .unsupportedPreTokenizer(name ?? "")
        }
    }

    /// Whether a word that is a whole token is taken as is, without merging (llama.cpp's
    /// `ignore_merges`, set for Llama 3).
    var ignoresMerges: Bool { self == .llama3 }

    /// Whether prompts start with BOS when the metadata does not say (llama.cpp: Llama 3 does).
    var addsBOSByDefault: Bool { self == .llama3 }

    /// Whether decoding applies llama.cpp's `clean_spaces` (`SpaceCleanup`); all BPE
    /// pre-tokenizers do except Qwen2's.
    var cleansSpaces: Bool { self != .qwen2 }

    /// The split pattern.
    var pattern: String {
        let contractions = #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"#
        switch self {
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .llama3:
            return contractions
                + #"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .qwen2:
            return contractions
                + #"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }
}
