import Foundation
import StrataCatalog

/// JSON shapes of catalog records on `/admin/v1`, with the keys `strata models … --json` prints.
enum CatalogWire {
    /// A version (`null` for absent metadata, as the CLI prints).
    struct Version: Encodable {
        let version: ModelVersion
        var loaded: Bool?

        enum CodingKeys: String, CodingKey {
            case model, label, digest, reference, size, parameters, architecture, quantization, tokenizer, license
            case status, created, sunset, loaded
            case contextLength = "context_length"
            case chatTemplate = "chat_template"
            case deprecationNote = "deprecation_note"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version.modelName, forKey: .model)
            try container.encode(version.label, forKey: .label)
            try container.encode("sha256:" + version.digest, forKey: .digest)
            try container.encode(version.reference, forKey: .reference)
            try container.encode(version.size, forKey: .size)
            try container.encode(version.parameterCount, forKey: .parameters)
            try container.encode(version.architecture, forKey: .architecture)
            try container.encode(version.quantization, forKey: .quantization)
            try container.encode(version.contextLength, forKey: .contextLength)
            try container.encode(version.tokenizer, forKey: .tokenizer)
            try container.encode(version.hasChatTemplate, forKey: .chatTemplate)
            try container.encode(version.license, forKey: .license)
            try container.encode(version.status.rawValue, forKey: .status)
            try container.encode(CatalogWire.timestamp(version.createdAt), forKey: .created)
            try container.encode(version.deprecationNote, forKey: .deprecationNote)
            try container.encode(version.sunsetDate, forKey: .sunset)
            try container.encodeIfPresent(loaded, forKey: .loaded)
        }
    }

    /// A model with its versions and aliases (`alias → reference`).
    struct Model: Encodable {
        var name: String
        var versions: [Version]
        var aliases: [String: String]
    }

    /// A version with how a reference reached it and what points at it.
    struct Shown: Encodable {
        var version: Version
        var route: String
        var aliases: [String]
        var pins: [Pin]
    }

    /// A pin.
    struct Pin: Encodable {
        var name: String
        var owner: String
        var version: String
        var label: String

        init(_ pin: PinEntry) {
            name = pin.name
            owner = pin.owner
            version = pin.version.reference
            label = pin.version.label
        }
    }

    /// An audit entry.
    struct Audit: Encodable {
        let entry: AuditEntry

        enum CodingKeys: String, CodingKey { case id, at, actor, action, subject, model, old, new }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entry.id, forKey: .id)
            try container.encode(CatalogWire.timestamp(entry.at), forKey: .at)
            try container.encode(entry.actor, forKey: .actor)
            try container.encode(entry.action, forKey: .action)
            try container.encode(entry.subject, forKey: .subject)
            try container.encode(entry.model, forKey: .model)
            try container.encode(entry.old, forKey: .old)
            try container.encode(entry.new, forKey: .new)
        }
    }

    /// A move of an alias or pin: the old target (null when new) and the new version (null when removed).
    struct Move: Encodable {
        var name: String
        var old: String?
        var new: Version?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(old, forKey: .old)
            try container.encode(new, forKey: .new)
        }

        enum CodingKeys: String, CodingKey { case name, old, new }
    }

    /// A list answer, `{"object": "list", "data": [...]}`.
    struct List<Item: Encodable>: Encodable {
        var object = "list"
        var data: [Item]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
