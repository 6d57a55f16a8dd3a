/// One message of an OpenAI-style conversation.
public struct ChatMessage: Sendable, Equatable {
    /// Who wrote a message.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// Instructions for the assistant.
        case system
        /// The person talking to the model.
        case user
        /// The model's earlier replies.
        case assistant
    }

    /// The author of the message.
    public var role: Role
    /// The message text.
    public var content: String

    /// A message with the given role and text.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// The template-side value: a dict with `role` and `content`, as Hugging Face passes messages.
    var templateValue: Value {
        .dict(Value.Dictionary([("role", .string(role.rawValue)), ("content", .string(content))]))
    }
}
