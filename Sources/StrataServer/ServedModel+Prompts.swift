import Foundation
import StrataChat
import StrataEngine
import StrataTokenizer

extension ServedModel {
    /// Token ids of a text prompt: special-token text is parsed (as llama-server does) and BOS
    /// is put first when the model wants it and the text does not already start with it.
    func encodePrompt(_ text: String, addSpecialTokens: Bool = true) -> [Int32] {
        var ids = tokenizer.encode(text, addBOS: false, parseSpecial: true)
        if addSpecialTokens, tokenizer.addBOSByDefault, let bos = tokenizer.specialTokens.bos, ids.first != bos {
            ids.insert(bos, at: 0)
        }
        return ids
    }

    /// The prompt of a conversation, rendered through the chat template with the assistant's
    /// turn opened.
    func chatPrompt(_ messages: [ChatCompletionRequest.Message], addGenerationPrompt: Bool = true) throws(APIError) -> [Int32] {
        guard let chatTemplate else {
            throw .invalidRequest("This model has no chat template: \(chatTemplateProblem ?? "none found")", param: "messages")
        }
        guard !messages.isEmpty else { throw .invalidRequest("'messages' must not be empty", param: "messages") }
        var converted: [ChatMessage] = []
        for (index, message) in messages.enumerated() {
            let role: ChatMessage.Role
            switch message.role {
            case "system", "developer": role = .system
            case "user": role = .user
            case "assistant": role = .assistant
            default:
                throw .invalidRequest(
                    "'messages[\(index)].role' must be system, developer, user or assistant, got '\(message.role)'",
                    param: "messages[\(index)].role")
            }
            converted.append(ChatMessage(role: role, content: message.content))
        }
        let special = tokenizer.specialTokens
        let bosText = special.bos.map { tokenizer.decode([$0], renderSpecial: true) } ?? ""
        let eosText = special.eos.map { tokenizer.decode([$0], renderSpecial: true) } ?? ""
        let text: String
        do {
            text = try chatTemplate.render(
                messages: converted, addGenerationPrompt: addGenerationPrompt, bosToken: bosText, eosToken: eosText,
                date: Self.today())
        } catch {
            throw APIError(error)
        }
        return encodePrompt(text)
    }

    /// Today's date (UTC), for templates that print it.
    private static func today() -> TemplateDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return TemplateDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// `max_tokens` when a chat request sets none: the rest of the context, within the KV pool.
    func remainingTokens(promptTokens: Int) -> Int {
        max(1, min(engine.contextLength, engine.poolTokens) - promptTokens)
    }
}
