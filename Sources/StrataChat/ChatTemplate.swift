/// A parsed chat template: turns a conversation into the prompt text a model was trained on.
///
/// Templates are the Jinja templates models ship in `tokenizer.chat_template`, interpreted with
/// the environment Hugging Face uses (`trim_blocks`, `lstrip_blocks`). Only a Jinja subset is
/// implemented; anything else fails with ``ChatTemplateError/unsupported(_:line:)`` when the
/// template is parsed or rendered, never with a wrong prompt.
public struct ChatTemplate: Sendable {
    /// The template text this was parsed from.
    public let source: String
    private let nodes: NodesBox

    /// Parses a Jinja chat template.
    public init(source: String) throws(ChatTemplateError) {
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        self.source = source
        self.nodes = NodesBox(try parser.parseTemplate())
    }

    /// Renders `messages` into a prompt.
    ///
    /// - Parameters:
    ///   - messages: The conversation, oldest first.
    ///   - addGenerationPrompt: Whether to end with the header that opens the assistant's turn.
    ///   - bosToken: The text of the model's beginning-of-sequence token (`bos_token`).
    ///   - eosToken: The text of the model's end-of-sequence token (`eos_token`).
    ///   - date: Today's date for templates that call `strftime_now`; rendering such a template
    ///     without one fails rather than guessing.
    /// - Throws: ``ChatTemplateError/raised(_:)`` when the template rejects the conversation, or
    ///   another ``ChatTemplateError`` when it cannot be rendered.
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String, eosToken: String, date: TemplateDate? = nil
    ) throws(ChatTemplateError) -> String {
        var evaluator = Evaluator(context: [
            "messages": .array(messages.map(\.templateValue)),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
            "tools": .none,
        ], date: date)
        return try evaluator.render(nodes.nodes)
    }
}

/// Holds the immutable parse tree; it is never mutated after parsing, so sharing it across threads is safe.
private final class NodesBox: @unchecked Sendable {
    let nodes: [Node]
    init(_ nodes: [Node]) { self.nodes = nodes }
}
