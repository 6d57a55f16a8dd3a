import Foundation
import XCTest

/// Where tests find the shared fixtures and the default model.
public enum TestResources {
    /// The package root, derived from this file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures` relative to the package root.
    public static let fixtures: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures")

    /// A fixture file's URL.
    public static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    /// A fixture file's contents decoded as JSON.
    public static func fixtureJSON(_ relativePath: String) throws -> Any {
        let data = try Data(contentsOf: fixture(relativePath))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The default model's path: `$STRATA_MODEL`, else the per-user cache.
    public static var defaultModelPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["STRATA_MODEL"], !explicit.isEmpty { return explicit }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return cache + "/strata/models/gemma-3-270m-q4_k_m.gguf"
    }

    /// The default model's path, or a skip when it is absent outside CI (a failure in CI).
    public static func requireDefaultModel() throws -> String {
        let path = defaultModelPath
        if FileManager.default.fileExists(atPath: path) { return path }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("default model missing at \(path); `make test` fetches it")
            throw XCTSkip("model missing")
        }
        throw XCTSkip("default model not found at \(path); run `make model`")
    }
}
