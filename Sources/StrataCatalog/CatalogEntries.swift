/// An alias of a model and the version it points at.
public struct AliasEntry: Sendable, Equatable {
    /// `name:alias`.
    public var name: String
    /// The version it points at.
    public var version: ModelVersion
}

/// A named pin: a team or deployment holding one exact version.
public struct PinEntry: Sendable, Equatable {
    /// The pin's name.
    public var name: String
    /// Its owner (team or deployment).
    public var owner: String
    /// The version it holds.
    public var version: ModelVersion
}

/// A model with its versions (oldest first) and aliases.
public struct ModelSummary: Sendable, Equatable {
    /// The model's name.
    public var name: String
    /// Its versions, in import order.
    public var versions: [ModelVersion]
    /// Its aliases, by name.
    public var aliases: [AliasEntry]
}

/// The outcome of resolving a reference: the exact version, and how it was reached.
public struct Resolution: Sendable, Equatable {
    /// The exact version.
    public var version: ModelVersion
    /// How the reference led there: `digest`, `alias gemma:latest`, `pin prod`.
    public var route: String
}

/// The outcome of an import.
public struct ImportResult: Sendable, Equatable {
    /// The version (new, or the existing one for the same model and digest).
    public var version: ModelVersion
    /// False when the model already had this exact file.
    public var created: Bool
    /// True when the blob was hard-linked rather than copied (or was already stored).
    public var linked: Bool
    /// Aliases this import set or moved.
    public var aliasesSet: [String]
}

/// What `collectGarbage` removed.
public struct GarbageReport: Sendable, Equatable {
    /// Digests of blobs no version referenced.
    public var blobs: [String]
    /// Leftover temporary files of imports that died.
    public var temporaryFiles: [String]
    /// Bytes freed.
    public var bytes: Int64
}
