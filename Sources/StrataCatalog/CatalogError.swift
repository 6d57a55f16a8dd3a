/// Why a catalog operation was refused or failed. Every case names what is at fault and, for a
/// refusal, what blocks it.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The reference text does not parse (`name`, `name:alias` or `name@sha256:<hex>`).
    case invalidReference(String, reason: String)
    /// A model, alias, label or pin name breaks the naming rules.
    case invalidName(String, reason: String)
    /// No model has this name.
    case unknownModel(String)
    /// Neither a pin nor a model has this name.
    case unknownName(String)
    /// The model has no alias of this name.
    case unknownAlias(model: String, alias: String)
    /// No pin has this name.
    case unknownPin(String)
    /// No version of the model has a digest starting with `prefix`.
    case unknownDigest(model: String, prefix: String)
    /// Several versions of the model have digests starting with `prefix`; `candidates` names them.
    case ambiguousDigestPrefix(model: String, prefix: String, candidates: [String])
    /// The version is retired and can no longer be resolved for serving.
    case versionRetired(String)
    /// The model already has a version with this label, for another digest.
    case labelTaken(model: String, label: String, existing: String)
    /// A pin and a model may not share a name: `name` is already taken by `takenBy`.
    case nameTaken(String, takenBy: String)
    /// An alias may only point at a version of its own model.
    case aliasAcrossModels(alias: String, version: String)
    /// The pin exists and belongs to another owner.
    case pinOwnedByOther(pin: String, owner: String)
    /// Retiring is refused while aliases or pins point at the version, or while a server has it loaded.
    case retireBlocked(version: String, aliases: [String], pins: [String], loaded: Bool)
    /// The version is already retired.
    case alreadyRetired(String)
    /// Removing a blob is refused while versions that are not retired reference it.
    case blobInUse(digest: String, versions: [String])
    /// No blob with this digest is in the store.
    case unknownBlob(String)
    /// A sunset date that is not a valid `YYYY-MM-DD` day.
    case invalidSunsetDate(String)
    /// The file is not a readable GGUF model.
    case notAModel(path: String, reason: String)
    /// A file-system operation failed.
    case io(path: String, reason: String)
    /// The database failed (open, migration, integrity, SQL).
    case database(String)

    public var description: String {
        switch self {
        case let .invalidReference(text, reason):
            return "invalid model reference '\(text)': \(reason)"
        case let .invalidName(name, reason):
            return "invalid name '\(name)': \(reason)"
        case let .unknownModel(name):
            return "no model named '\(name)' in the catalog"
        case let .unknownName(name):
            return "no pin or model named '\(name)' in the catalog"
        case let .unknownAlias(model, alias):
            return "model '\(model)' has no alias '\(alias)'"
        case let .unknownPin(name):
            return "no pin named '\(name)'"
        case let .unknownDigest(model, prefix):
            return "model '\(model)' has no version with digest sha256:\(prefix)…"
        case let .ambiguousDigestPrefix(model, prefix, candidates):
            return "digest prefix sha256:\(prefix) of model '\(model)' is ambiguous; it matches "
                + candidates.joined(separator: ", ") + "; give more digits"
        case let .versionRetired(version):
            return "version \(version) is retired"
        case let .labelTaken(model, label, existing):
            return "model '\(model)' already has a version labelled '\(label)' (\(existing))"
        case let .nameTaken(name, takenBy):
            return "the name '\(name)' is already taken by \(takenBy)"
        case let .aliasAcrossModels(alias, version):
            return "alias \(alias) can only point at a version of its own model, not \(version)"
        case let .pinOwnedByOther(pin, owner):
            return "pin '\(pin)' is owned by '\(owner)'; only its owner can move it"
        case let .retireBlocked(version, aliases, pins, loaded):
            var blockers: [String] = []
            if !aliases.isEmpty { blockers.append("aliases " + aliases.joined(separator: ", ")) }
            if !pins.isEmpty { blockers.append("pins " + pins.joined(separator: ", ")) }
            if loaded { blockers.append("it is loaded by a running server") }
            return "cannot retire \(version): " + blockers.joined(separator: "; ")
        case let .alreadyRetired(version):
            return "version \(version) is already retired"
        case let .blobInUse(digest, versions):
            return "cannot remove blob sha256:\(digest): referenced by " + versions.joined(separator: ", ")
        case let .unknownBlob(digest):
            return "no blob sha256:\(digest) in the store"
        case let .invalidSunsetDate(text):
            return "invalid sunset date '\(text)': expected YYYY-MM-DD"
        case let .notAModel(path, reason):
            return "\(path) is not a GGUF model: \(reason)"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .database(message):
            return "catalog database: \(message)"
        }
    }
}
