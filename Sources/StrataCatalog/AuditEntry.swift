import Foundation
import GRDB

/// One change to the catalog: what, old → new, when, by whom.
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord {
    /// Increasing row id (the order of changes).
    public var id: Int64
    /// When the change was committed.
    public var at: Date
    /// Who made it (`--actor`, later the API key's name).
    public var actor: String
    /// What happened: `model.create`, `version.create`, `alias.set`, `alias.remove`, `pin.set`,
    /// `pin.remove`, `version.deprecate`, `version.retire`, `blob.remove`.
    public var action: String
    /// What it happened to (`gemma:latest`, `pin prod`, a version reference, a blob).
    public var subject: String
    /// The model concerned, when there is one (for filtering).
    public var model: String?
    /// The value before, if any.
    public var old: String?
    /// The value after, if any.
    public var new: String?
}
