import Hummingbird

/// `POST /tokenize` and `POST /detokenize`, with vLLM's bodies.
struct TokenizeRoutes: Sendable {
    let router: ModelRouter
    let limits: ServerLimits

    /// `{"model"?, "prompt": "...", "add_special_tokens"?: true}` or
    /// `{"model"?, "messages": [...], "add_generation_prompt"?: true}`.
    struct TokenizeRequest: Decodable {
        var model: String?
        var prompt: String?
        var messages: [ChatCompletionRequest.Message]?
        var addSpecialTokens: Bool?
        var addGenerationPrompt: Bool?

        enum CodingKeys: String, CodingKey {
            case model, prompt, messages
            case addSpecialTokens = "add_special_tokens"
            case addGenerationPrompt = "add_generation_prompt"
        }
    }

    struct TokenizeResponse: Encodable {
        var count: Int
        var maxModelLen: Int
        var tokens: [Int32]

        enum CodingKeys: String, CodingKey {
            case count, tokens
            case maxModelLen = "max_model_len"
        }
    }

    /// `{"model"?, "tokens": [ids]}`.
    struct DetokenizeRequest: Decodable {
        var model: String?
        var tokens: [Int32]
    }

    struct DetokenizeResponse: Encodable {
        var prompt: String
    }

    func tokenize(_ request: Request) async throws(APIError) -> Response {
        let body = try await JSONBody.decode(TokenizeRequest.self, from: request, limit: limits.maxBodyBytes)
        let routed = try router.route(body.model)
        let model = routed.model
        let tokens: [Int32]
        switch (body.prompt, body.messages) {
        case let (prompt?, nil):
            tokens = model.encodePrompt(prompt, addSpecialTokens: body.addSpecialTokens ?? true)
        case let (nil, messages?):
            tokens = try model.chatPrompt(messages, addGenerationPrompt: body.addGenerationPrompt ?? true)
        default:
            throw .invalidRequest("Send exactly one of 'prompt' and 'messages'", param: "prompt")
        }
        return try JSONBody.response(TokenizeResponse(count: tokens.count, maxModelLen: model.engine.contextLength, tokens: tokens))
            .tagged(with: routed)
    }

    func detokenize(_ request: Request) async throws(APIError) -> Response {
        let body = try await JSONBody.decode(DetokenizeRequest.self, from: request, limit: limits.maxBodyBytes)
        let routed = try router.route(body.model)
        let model = routed.model
        let size = model.tokenizer.vocabularySize
        if let bad = body.tokens.first(where: { $0 < 0 || Int($0) >= size }) {
            throw .invalidRequest("token id \(bad) is outside the vocabulary of \(size) tokens", param: "tokens")
        }
        return try JSONBody.response(DetokenizeResponse(prompt: model.tokenizer.decode(body.tokens))).tagged(with: routed)
    }
}
