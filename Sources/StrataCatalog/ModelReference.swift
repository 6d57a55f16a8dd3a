/// A parsed model reference, as users write it.
///
/// - `name@sha256:<digest or unique prefix>`: an exact version;
/// - `name:alias`: whatever version the alias points at now;
/// - `pin`: the version a pin holds, or, when no pin has that name, `name` = `name:latest`.
public enum ModelReference: Equatable, Sendable, CustomStringConvertible {
    /// An exact version of a model, by digest or a unique digest prefix (lowercase hex).
    case digest(model: String, prefix: String)
    /// A movable alias of a model.
    case alias(model: String, alias: String)
    /// A pin name, or a model name meaning its `latest` alias.
    case bare(String)

    /// The alias a bare model name stands for.
    public static let defaultAlias = "latest"

    /// Parses `text`; throws `invalidReference` or `invalidName` naming the fault.
    public init(parsing text: String) throws(CatalogError) {
        if let at = text.firstIndex(of: "@") {
            let model = String(text[..<at])
            let rest = text[text.index(after: at)...]
            guard rest.hasPrefix("sha256:") else {
                throw .invalidReference(text, reason: "expected '@sha256:' after the model name")
            }
            let hex = rest.dropFirst("sha256:".count).lowercased()
            guard Names.isDigestPrefix(Substring(hex)) else {
                throw .invalidReference(text, reason: "the digest must be 1 to 64 hexadecimal digits")
            }
            try Names.validate(model, allowSlash: true)
            self = .digest(model: model, prefix: hex)
        } else if let colon = text.lastIndex(of: ":") {
            let model = String(text[..<colon]), alias = String(text[text.index(after: colon)...])
            try Names.validate(model, allowSlash: true)
            try Names.validate(alias)
            self = .alias(model: model, alias: alias)
        } else {
            try Names.validate(text, allowSlash: true)
            self = .bare(text)
        }
    }

    public var description: String {
        switch self {
        case let .digest(model, prefix): "\(model)@sha256:\(prefix)"
        case let .alias(model, alias): "\(model):\(alias)"
        case let .bare(name): name
        }
    }
}
