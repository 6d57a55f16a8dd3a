import Foundation
import StrataChat
import StrataGGUF
import StrataModels
import StrataTokenizer

/// A prompt wrapped as a chat conversation through the model's chat template.
enum ChatPrompt {
    /// The model's template: `tokenizer.chat_template` when the file has one, else the built-in
    /// template of its architecture.
    static func template(of file: GGUFFile) throws(CommandFailure) -> ChatTemplate {
        do {
            if let source = try file.metadata.stringIfPresent("tokenizer.chat_template") {
                return try ChatTemplate(source: source)
            }
            let architecture = try file.metadata.string("general.architecture")
            return try ChatTemplate.builtin(architecture: architecture)
        } catch {
            throw CommandFailure("cannot use the chat template: \(error)")
        }
    }

    /// The token ids of `prompt` as a user message (after `system`, when given), with the
    /// generation prompt that opens the assistant's turn. Special-token text is parsed; BOS is
    /// added when the model wants one and the template did not already write it.
    static func ids(
        prompt: String, system: String?, file: GGUFFile, tokenizer: any Tokenizer
    ) throws(CommandFailure) -> [TokenID] {
        var messages = system.map { [ChatMessage(role: .system, content: $0)] } ?? []
        messages.append(ChatMessage(role: .user, content: prompt))
        let special = tokenizer.specialTokens
        let text: String
        do {
            text = try template(of: file).render(
                messages: messages, addGenerationPrompt: true,
                bosToken: tokenText(special.bos, tokenizer), eosToken: tokenText(special.eos, tokenizer),
                date: today()
            )
        } catch {
            throw CommandFailure("cannot render the chat template: \(error)")
        }
        var ids = tokenizer.encode(text, addBOS: false, parseSpecial: true)
        if tokenizer.addBOSByDefault, let bos = special.bos, ids.first != bos {
            ids.insert(bos, at: 0)
        }
        return ids
    }

    private static func tokenText(_ id: TokenID?, _ tokenizer: any Tokenizer) -> String {
        id.map { String(decoding: tokenizer.piece($0, renderSpecial: true), as: UTF8.self) } ?? ""
    }

    private static func today() -> TemplateDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: Date())
        return TemplateDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
