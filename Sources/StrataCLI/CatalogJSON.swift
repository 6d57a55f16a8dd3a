import Foundation
import StrataCatalog

/// JSON shapes of catalog records, shared by every `--json` output.
enum CatalogJSON {
    static func version(_ version: ModelVersion) -> [String: Any] {
        var object: [String: Any] = [
            "model": version.modelName, "label": version.label, "digest": "sha256:" + version.digest,
            "reference": version.reference, "size": version.size, "parameters": version.parameterCount,
            "chat_template": version.hasChatTemplate, "status": version.status.rawValue,
            "created": timestamp(version.createdAt),
        ]
        object["architecture"] = version.architecture ?? NSNull()
        object["quantization"] = version.quantization ?? NSNull()
        object["context_length"] = version.contextLength ?? NSNull()
        object["tokenizer"] = version.tokenizer ?? NSNull()
        object["license"] = version.license ?? NSNull()
        object["deprecation_note"] = version.deprecationNote ?? NSNull()
        object["sunset"] = version.sunsetDate ?? NSNull()
        return object
    }

    static func audit(_ entry: AuditEntry) -> [String: Any] {
        [
            "id": entry.id, "at": timestamp(entry.at), "actor": entry.actor, "action": entry.action,
            "subject": entry.subject, "model": entry.model ?? NSNull(), "old": entry.old ?? NSNull(),
            "new": entry.new ?? NSNull(),
        ]
    }

    static func pin(_ pin: PinEntry) -> [String: Any] {
        ["name": pin.name, "owner": pin.owner, "version": pin.version.reference, "label": pin.version.label]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Prints `object` as one line of JSON with sorted keys.
    static func print(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
