/// The life-cycle state of a version. Deprecated versions keep serving; retired ones do not.
public enum VersionStatus: String, Codable, Sendable, CaseIterable {
    case active
    case deprecated
    case retired
}
