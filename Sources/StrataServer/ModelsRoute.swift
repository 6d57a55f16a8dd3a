import Hummingbird
import StrataCatalog

/// `GET /v1/models`: every served model. A catalog version also shows its model name, label,
/// digest, current status (with the deprecation note and sunset day) and the aliases and pins
/// pointing at it now.
struct ModelsRoute: Sendable {
    let router: ModelRouter

    struct ModelList: Encodable {
        var object = "list"
        var data: [Entry]
    }

    struct Entry: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "strata"
        var maxModelLen: Int
        var systemFingerprint: String
        var name: String?
        var label: String?
        var digest: String?
        var status: String?
        var deprecationNote: String?
        var sunset: String?
        var aliases: [String]?
        var pins: [String]?

        enum CodingKeys: String, CodingKey {
            case id, object, created, name, label, digest, status, sunset, aliases, pins
            case ownedBy = "owned_by"
            case maxModelLen = "max_model_len"
            case systemFingerprint = "system_fingerprint"
            case deprecationNote = "deprecation_note"
        }
    }

    func respond() throws(APIError) -> Response {
        var entries: [Entry] = []
        for model in router.models {
            var entry = Entry(
                id: model.id, created: model.created, maxModelLen: model.engine.contextLength,
                systemFingerprint: model.fingerprint)
            if let loaded = model.catalogVersion, let catalog = router.catalog {
                do throws(CatalogError) {
                    let version = try catalog.lookup(loaded.reference).version
                    let pointers = try catalog.pointers(to: version)
                    entry.name = version.modelName
                    entry.label = version.label
                    entry.digest = "sha256:" + version.digest
                    entry.status = version.status.rawValue
                    entry.deprecationNote = version.deprecationNote
                    entry.sunset = version.sunsetDate
                    entry.aliases = pointers.aliases
                    entry.pins = pointers.pins.map(\.name)
                } catch {
                    throw APIError(admin: error)
                }
            }
            entries.append(entry)
        }
        return try JSONBody.response(ModelList(data: entries))
    }
}
