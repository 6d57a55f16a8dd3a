import Foundation
import GRDB

/// One immutable version of a model: a blob by digest plus what its GGUF metadata says.
///
/// Only the life-cycle fields (`status`, `deprecationNote`, `sunsetDate`) ever change; the
/// database refuses any other update and any deletion.
public struct ModelVersion: Codable, Sendable, Equatable, FetchableRecord {
    /// Row id.
    public var id: Int64
    /// The model's name.
    public var modelName: String
    /// A label unique within the model (`v1`, `2025-06-q4`, …).
    public var label: String
    /// Lowercase hex sha256 of the file.
    public var digest: String
    /// File size in bytes.
    public var size: Int64
    /// `general.architecture`.
    public var architecture: String?
    /// Sum of the element counts of all tensors.
    public var parameterCount: Int64
    /// Quantization name (from `general.file_type`, else the dominant tensor type).
    public var quantization: String?
    /// `<architecture>.context_length`.
    public var contextLength: Int64?
    /// `tokenizer.ggml.model`.
    public var tokenizer: String?
    /// Whether `tokenizer.chat_template` is present.
    public var hasChatTemplate: Bool
    /// `general.license`.
    public var license: String?
    /// When the version was imported.
    public var createdAt: Date
    /// Life-cycle state.
    public var status: VersionStatus
    /// Why it was deprecated.
    public var deprecationNote: String?
    /// Planned retirement day (`YYYY-MM-DD`), informative only: nothing retires automatically.
    public var sunsetDate: String?

    /// The exact, canonical reference: `name@sha256:<digest>`.
    public var reference: String { "\(modelName)@sha256:\(digest)" }

    /// A short human name: `name@sha256:<12 digits> (label)`.
    public var shortName: String { "\(modelName)@sha256:\(digest.prefix(12)) (\(label))" }

    /// Columns selected by every version query (`version` joined with `model`).
    static let selection = """
        SELECT version.id, model.name AS modelName, version.label, version.digest, version.size,
               version.architecture, version.parameterCount, version.quantization, version.contextLength,
               version.tokenizer, version.hasChatTemplate, version.license, version.createdAt,
               version.status, version.deprecationNote, version.sunsetDate
        FROM version JOIN model ON model.id = version.modelId
        """
}
