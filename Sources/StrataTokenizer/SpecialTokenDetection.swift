/// llama.cpp's fix-ups of special tokens after loading a vocabulary: finding EOT/EOM/FIM tokens by
/// their text when the metadata does not name them, building the end-of-generation set, and the
/// attribute corrections that go with it. The text lists mirror llama.cpp's `llama_vocab::load`;
/// where llama.cpp takes the first match in hash order, we take the first text in list order.
struct DerivedSpecialTokens {
    var special: SpecialTokens
    var attributes: [TokenAttributes]
    var endOfGeneration: Set<TokenID> = []

    /// Texts that identify a special token the metadata left unset.
    private static var detectedByText: [(path: WritableKeyPath<SpecialTokens, TokenID?>, texts: [String])] { [
        (\.eot, ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
                 "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"]),
        (\.eom, ["<|eom_id|>"]),
        (\.fimPrefix, ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
                       "<|code_prefix|>", "<|prefix|>"]),
        (\.fimSuffix, ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
                       "<|code_suffix|>", "<|suffix|>"]),
        (\.fimMiddle, ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
                       "<|code_middle|>", "<|middle|>"]),
        (\.fimPad, ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]),
        (\.fimRepo, ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]),
        (\.fimSeparator, ["<|file_sep|>"]),
    ] }

    /// Texts of tokens that end generation, whatever the metadata says.
    private static let endOfGenerationTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
        "<｜end▁of▁sentence｜>", "[e~[",
    ]

    /// gpt-oss tokens llama.cpp always renders, so it makes them user-defined.
    private static let alwaysRendered = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]

    mutating func apply(pieces: PieceTable, modelName: String?) {
        for (path, texts) in Self.detectedByText where special[keyPath: path] == nil {
            if let id = texts.lazy.compactMap({ pieces.id(of: $0.utf8) }).first {
                special[keyPath: path] = id
                attributes[Int(id)].insert(.control)
            }
        }

        // Control tokens named "unused…" are unused.
        for id in attributes.indices where attributes[id].contains(.control) {
            if pieces.piece(id).firstRange(of: "unused".utf8) != nil {
                attributes[id].insert(.unused)
            }
        }

        for id in [special.fimPad, special.fimRepo, special.fimSeparator].compactMap({ $0 }) {
            endOfGeneration.insert(id)
        }
        for text in Self.endOfGenerationTexts {
            if let id = pieces.id(of: text.utf8) {
                endOfGeneration.insert(id)
                attributes[Int(id)].insert(.control)
            }
        }
        for text in Self.alwaysRendered {
            if let id = pieces.id(of: text.utf8) { attributes[Int(id)] = .userDefined }
        }
        for id in [special.eos, special.eot, special.eom].compactMap({ $0 }) {
            endOfGeneration.insert(id)
        }

        // o200k_harmony and solar-open: "<|end|>" ends a message, not generation.
        let ends = endOfGeneration
        let present = { (text: String) in pieces.id(of: text.utf8).map { ends.contains($0) } ?? false }
        let hasCall = present("<|call|>") || present("<|calls|>")
        if let end = pieces.id(of: "<|end|>".utf8), endOfGeneration.contains(end),
           hasCall, present("<|return|>") || present("<|flush|>") {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // Gemma 4 and PaddleOCR: "</s>" is text, not an end.
        if let closing = pieces.id(of: "</s>".utf8), endOfGeneration.contains(closing), present("<|tool_response>") {
            endOfGeneration.remove(closing)
            attributes[Int(closing)] = .normal
        }

        // Phi-3: whitespace after special tokens is dropped when splitting text on them.
        if let name = modelName?.lowercased(), name.contains("phi-3") || name.contains("phi3") {
            let splitting: TokenAttributes = [.control, .userDefined, .unknown]
            for id in attributes.indices where !attributes[id].isDisjoint(with: splitting) {
                attributes[id].insert(.rightStrip)
            }
            if let id = pieces.id(of: "</s>".utf8) { attributes[Int(id)].insert(.rightStrip) }
            for text in ["<unk>", "<s>", "<|endoftext|>"] {
                if let id = pieces.id(of: text.utf8) { attributes[Int(id)].remove(.rightStrip) }
            }
        }
    }
}
