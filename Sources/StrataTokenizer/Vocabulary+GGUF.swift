import StrataGGUF

extension Vocabulary {
    /// The vocabulary described by GGUF `tokenizer.ggml.*` metadata.
    ///
    /// Reads the model kind, tokens, scores (float32 or integer), token types, special-token ids
    /// and the add-BOS/EOS/space-prefix flags, with llama.cpp's defaults for keys that are absent.
    /// For byte-level BPE (`gpt2`) also reads the merges and pre-tokenizer; BOS is added by default
    /// only for pre-tokenizers that llama.cpp gives it (Llama 3), there is no space prefix, and
    /// decoding cleans spaces as llama.cpp does for that pre-tokenizer.
    /// Throws `unsupportedModel` for tokenizer kinds other than SentencePiece and BPE, and an error
    /// naming the key for anything missing, mistyped, of the wrong length or out of range.
    public init(metadata: GGUFMetadata) throws(TokenizerError) {
        let modelName = try Self.read(GGUFKey.model) { () throws(GGUFError) in try metadata.string(GGUFKey.model) }
        let model = try TokenizerModel(ggufName: modelName)
        let tokens = try Self.read(GGUFKey.tokens) { () throws(GGUFError) in try metadata.stringArray(GGUFKey.tokens) }
        let scores = try Self.scores(metadata)
        let merges = try Self.read(GGUFKey.merges) { () throws(GGUFError) in
            try metadata.stringArrayIfPresent(GGUFKey.merges)
        }
        let preTokenizer = try Self.read(GGUFKey.preTokenizer) { () throws(GGUFError) in
            try metadata.stringIfPresent(GGUFKey.preTokenizer)
        }
        let isBytePair = model == .bytePairEncoding
        let bytePairPreTokenizer = isBytePair ? try PreTokenizer(ggufName: preTokenizer) : nil
        let types = try Self.read(GGUFKey.tokenTypes) { () throws(GGUFError) in
            try metadata.integerArrayIfPresent(GGUFKey.tokenTypes)
        }

        var special = Self.defaultSpecialTokens(model, vocabularySize: tokens.count)
        for (key, path) in SpecialTokens.ggufKeys {
            guard let id = try Self.read(key, { () throws(GGUFError) in try metadata.integerIfPresent(key) }) else {
                continue
            }
            guard id >= 0, id < tokens.count else {
                throw .specialTokenOutOfRange(key: key, id: id, vocabularySize: tokens.count)
            }
            special[keyPath: path] = TokenID(id)
        }

        let flag = { (key: String) throws(TokenizerError) -> Bool? in
            try Self.read(key) { () throws(GGUFError) in try metadata.boolIfPresent(key) }
        }
        try self.init(
            model: model,
            preTokenizer: preTokenizer,
            tokens: tokens,
            scores: scores,
            merges: merges,
            types: types.map { $0.map(TokenType.init(gguf:)) },
            specialTokens: special,
            addBOS: flag(GGUFKey.addBOS) ?? bytePairPreTokenizer?.addsBOSByDefault ?? true,
            addEOS: flag(GGUFKey.addEOS) ?? false,
            addSpacePrefix: flag(GGUFKey.addSpacePrefix) ?? !isBytePair,
            cleanSpaces: bytePairPreTokenizer?.cleansSpaces ?? false,
            modelName: Self.read(GGUFKey.modelName) { () throws(GGUFError) in
                try metadata.stringIfPresent(GGUFKey.modelName)
            })
    }

    /// llama.cpp's default ids for a model kind, dropped when outside the vocabulary.
    private static func defaultSpecialTokens(_ model: TokenizerModel, vocabularySize: Int) -> SpecialTokens {
        let inRange = { (id: TokenID) -> TokenID? in Int(id) < vocabularySize ? id : nil }
        switch model {
        case .sentencePiece:
            return SpecialTokens(bos: inRange(1), eos: inRange(2), unk: inRange(0))
        case .bytePairEncoding:
            return SpecialTokens(bos: inRange(11), eos: inRange(11))
        }
    }

    /// Scores stored as float32 or as integers (both occur in GGUF files).
    private static func scores(_ metadata: GGUFMetadata) throws(TokenizerError) -> [Float]? {
        guard let value = metadata[GGUFKey.scores] else { return nil }
        guard case let .array(elementType, elements) = value else {
            throw .malformedKey(GGUFKey.scores, reason: "is \(value.typeName), expected an array of floats")
        }
        var scores: [Float] = []
        scores.reserveCapacity(elements.count)
        for element in elements {
            if let float = element.floatValue {
                scores.append(float)
            } else if let integer = element.integerValue {
                scores.append(Float(integer))
            } else {
                throw .malformedKey(GGUFKey.scores, reason: "holds \(elementType) values, expected floats")
            }
        }
        return scores
    }

    /// Runs a metadata accessor, turning its `GGUFError` into a `TokenizerError` naming `key`.
    private static func read<T>(_ key: String, _ body: () throws(GGUFError) -> T) throws(TokenizerError) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .missingKey: throw .missingKey(key)
            case let .typeMismatch(_, expected, found):
                throw .malformedKey(key, reason: "is \(found), expected \(expected)")
            default: throw .malformedKey(key, reason: "\(error)")
            }
        }
    }
}
