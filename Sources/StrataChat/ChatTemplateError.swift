/// Why a chat template could not be parsed or rendered.
///
/// A template never silently produces a wrong prompt: anything outside the supported
/// Jinja subset is reported as ``unsupported(_:line:)`` instead.
public enum ChatTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template text is not valid Jinja (message, 1-based line).
    case syntax(String, line: Int)
    /// The template uses a Jinja construct, filter, test or function this interpreter does not implement.
    case unsupported(String, line: Int)
    /// The template called `raise_exception(message)`.
    case raised(String)
    /// Rendering failed: a type error, an undefined value used as an object, and so on.
    case runtime(String, line: Int)
    /// No built-in template exists for this `general.architecture`.
    case noBuiltinTemplate(architecture: String)

    /// A one-line explanation naming the line, construct or raised message.
    public var description: String {
        switch self {
        case .syntax(let message, let line): "chat template syntax error (line \(line)): \(message)"
        case .unsupported(let what, let line): "chat template uses unsupported \(what) (line \(line))"
        case .raised(let message): "chat template raised: \(message)"
        case .runtime(let message, let line): "chat template error (line \(line)): \(message)"
        case .noBuiltinTemplate(let architecture): "no built-in chat template for architecture '\(architecture)'"
        }
    }
}
