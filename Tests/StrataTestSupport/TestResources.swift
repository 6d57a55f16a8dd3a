import Foundation

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

    /// The default model's path; throws (failing the test) when it is absent. `make test` fetches it.
    public static func requireDefaultModel() throws(MissingTestResource) -> String {
        let path = defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingTestResource(description: "default model not found at \(path); run `make model` or set STRATA_MODEL")
        }
        return path
    }

    /// A fixture file's URL; throws (failing the test) when it is absent.
    public static func requireFixture(_ relativePath: String) throws(MissingTestResource) -> URL {
        let url = fixture(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingTestResource(description: "fixture not found at \(url.path); ../shared/fixtures must sit beside the package")
        }
        return url
    }
}

/// A file a test needs is missing. Thrown, so the test fails rather than being skipped.
public struct MissingTestResource: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
