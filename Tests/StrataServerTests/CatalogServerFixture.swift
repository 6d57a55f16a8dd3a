import Foundation
import Hummingbird
import HummingbirdTesting
import StrataCatalog
import StrataTestSupport
@testable import StrataServer

/// A catalog in a temporary directory holding the default model as `gemma` (label `q4`), and a
/// second version of `gemma` that this server does not load (the phi-3 vocabulary, never run):
/// the default model's engine is served as the catalog version it is.
final class CatalogServerFixture: Sendable {
    let directory: String
    let catalog: Catalog
    /// The default model, imported.
    let loaded: ModelVersion
    /// A second version of the same model, not loaded.
    let other: ModelVersion
    /// The served default model, identified as `loaded`.
    let model: ServedModel

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-server-catalog-\(UUID().uuidString)").path
        catalog = try Catalog(directory: directory)
        loaded = try catalog.importModel(path: TestResources.requireDefaultModel(), name: "gemma", label: "q4", actor: "setup").version
        let vocab = try TestResources.requireFixture("vocab/ggml-vocab-phi-3.gguf").path
        other = try catalog.importModel(path: vocab, name: "gemma", label: "vocab", actor: "setup").version
        model = try ServerFixture.model().identified(as: loaded)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A router whose default is `gemma` (its `latest` alias, re-resolved per request).
    func router() throws -> ModelRouter {
        try ModelRouter(models: [model], catalog: catalog, defaultReference: "gemma")
    }

    /// An application over `router()` with the given admin keys.
    func application(adminKeys: AdminKeys = AdminKeys()) throws -> some ApplicationProtocol {
        let api = StrataAPI(router: try router(), adminKeys: adminKeys)
        return Application(
            router: api.makeRouter(),
            server: try ServerTransport(host: "127.0.0.1", port: 0).serverBuilder(),
            configuration: ServerTransport(host: "127.0.0.1", port: 0).applicationConfiguration)
    }
}
