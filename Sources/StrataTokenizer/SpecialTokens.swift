/// Ids of the vocabulary's special tokens; nil when the vocabulary has none of that kind.
public struct SpecialTokens: Sendable, Equatable {
    /// Beginning of sequence.
    public var bos: TokenID?
    /// End of sequence.
    public var eos: TokenID?
    /// End of turn (Gemma's `<end_of_turn>`, Llama 3's `<|eot_id|>`, ChatML's `<|im_end|>`).
    public var eot: TokenID?
    /// End of message (Llama 3.1's `<|eom_id|>`).
    public var eom: TokenID?
    /// Unknown token, used when a character has no piece and no byte token.
    public var unk: TokenID?
    /// Padding.
    public var pad: TokenID?
    /// Separator (BERT-style models).
    public var sep: TokenID?
    /// Mask.
    public var mask: TokenID?
    /// Fill-in-the-middle: prefix (`<|fim_prefix|>`).
    public var fimPrefix: TokenID?
    /// Fill-in-the-middle: suffix (`<|fim_suffix|>`).
    public var fimSuffix: TokenID?
    /// Fill-in-the-middle: middle (`<|fim_middle|>`).
    public var fimMiddle: TokenID?
    /// Fill-in-the-middle: padding (`<|fim_pad|>`); ends generation.
    public var fimPad: TokenID?
    /// Fill-in-the-middle: repository name (`<|repo_name|>`); ends generation.
    public var fimRepo: TokenID?
    /// Fill-in-the-middle: file separator (`<|file_sep|>`); ends generation.
    public var fimSeparator: TokenID?

    /// Special ids; nil for kinds the vocabulary does not have.
    public init(
        bos: TokenID? = nil, eos: TokenID? = nil, eot: TokenID? = nil, eom: TokenID? = nil,
        unk: TokenID? = nil, pad: TokenID? = nil, sep: TokenID? = nil, mask: TokenID? = nil,
        fimPrefix: TokenID? = nil, fimSuffix: TokenID? = nil, fimMiddle: TokenID? = nil,
        fimPad: TokenID? = nil, fimRepo: TokenID? = nil, fimSeparator: TokenID? = nil
    ) {
        self.bos = bos
        self.eos = eos
        self.eot = eot
        self.eom = eom
        self.unk = unk
        self.pad = pad
        self.sep = sep
        self.mask = mask
        self.fimPrefix = fimPrefix
        self.fimSuffix = fimSuffix
        self.fimMiddle = fimMiddle
        self.fimPad = fimPad
        self.fimRepo = fimRepo
        self.fimSeparator = fimSeparator
    }

    /// The GGUF key of each id, with a writable path to it; the order of llama.cpp's loader.
    static var ggufKeys: [(key: String, path: WritableKeyPath<SpecialTokens, TokenID?>)] { [
        ("tokenizer.ggml.bos_token_id", \.bos),
        ("tokenizer.ggml.eos_token_id", \.eos),
        ("tokenizer.ggml.eot_token_id", \.eot),
        ("tokenizer.ggml.eom_token_id", \.eom),
        ("tokenizer.ggml.unknown_token_id", \.unk),
        ("tokenizer.ggml.seperator_token_id", \.sep),
        ("tokenizer.ggml.padding_token_id", \.pad),
        ("tokenizer.ggml.mask_token_id", \.mask),
        ("tokenizer.ggml.fim_pre_token_id", \.fimPrefix),
        ("tokenizer.ggml.fim_suf_token_id", \.fimSuffix),
        ("tokenizer.ggml.fim_mid_token_id", \.fimMiddle),
        ("tokenizer.ggml.fim_pad_token_id", \.fimPad),
        ("tokenizer.ggml.fim_rep_token_id", \.fimRepo),
        ("tokenizer.ggml.fim_sep_token_id", \.fimSeparator),
        // Deprecated spellings, read after the current ones as llama.cpp does.
        ("tokenizer.ggml.prefix_token_id", \.fimPrefix),
        ("tokenizer.ggml.suffix_token_id", \.fimSuffix),
        ("tokenizer.ggml.middle_token_id", \.fimMiddle),
    ] }
}
