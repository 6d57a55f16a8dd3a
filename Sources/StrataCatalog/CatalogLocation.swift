import Foundation

/// Where the catalog lives: `--catalog PATH`, else `$STRATA_CATALOG`, else the per-user data
/// directory `$XDG_DATA_HOME/strata` (`~/.local/share/strata`).
public enum CatalogLocation {
    /// The catalog directory for an explicit path (if any) and an environment.
    public static func directory(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["STRATA_CATALOG"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/strata" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/strata"
    }
}
