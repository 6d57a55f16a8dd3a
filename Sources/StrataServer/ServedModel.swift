import Foundation
import StrataCatalog
import StrataChat
import StrataEngine
import StrataGGUF
import StrataModels
import StrataTokenizer

/// One model (version) a server answers with: its engine, tokenizer, chat template and identity.
public struct ServedModel: Sendable {
    /// The id answers carry as `model`: the file name without `.gguf` for a file served by path,
    /// the exact reference `name@sha256:<digest>` for a catalog version.
    public let id: String
    /// Identifies the exact weights that answer (`system_fingerprint`).
    public let fingerprint: String
    /// The catalog version this is, when it was loaded from the catalog (as it was at load
    /// time; its life-cycle status is read again for every request).
    public let catalogVersion: ModelVersion?
    /// When the model was loaded, in seconds since 1970 (`created` in `/v1/models`).
    public let created: Int
    /// The engine that runs requests.
    public let engine: InferenceEngine
    /// The chat template, or nil when the model has none (chat completions are then refused).
    public let chatTemplate: ChatTemplate?
    /// Why there is no chat template, when there is none.
    public let chatTemplateProblem: String?
    /// Whether what runs the engine's steps is up (for a cluster: every pipeline stage
    /// connected); `/ready` needs it as well as an accepting engine.
    public let isBackendReady: @Sendable () -> Bool

    /// The tokenizer prompts are tokenized with.
    public var tokenizer: any Tokenizer { engine.tokenizer }

    /// A served model around a running (or about to run) engine.
    public init(
        id: String, fingerprint: String, engine: InferenceEngine, chatTemplate: ChatTemplate?,
        chatTemplateProblem: String? = nil, created: Int = Int(Date().timeIntervalSince1970),
        catalogVersion: ModelVersion? = nil, isBackendReady: @escaping @Sendable () -> Bool = { true }
    ) {
        self.isBackendReady = isBackendReady
        self.id = id
        self.fingerprint = fingerprint
        self.catalogVersion = catalogVersion
        self.engine = engine
        self.chatTemplate = chatTemplate
        self.chatTemplateProblem = chatTemplateProblem
        self.created = created
    }

    /// The same model, identified as the catalog version `version` (whose blob it was loaded
    /// from): `id` becomes the exact reference and `system_fingerprint` `fp_` + the first 16
    /// digits of the sha256, so answers name the exact version.
    public func identified(as version: ModelVersion) -> ServedModel {
        ServedModel(
            id: version.reference, fingerprint: "fp_" + version.digest.prefix(16), engine: engine,
            chatTemplate: chatTemplate, chatTemplateProblem: chatTemplateProblem, created: created,
            catalogVersion: version, isBackendReady: isBackendReady)
    }

    /// Loads the model at `path` and builds its engine (not started).
    public static func load(path: String, configuration: EngineConfiguration) throws(ServerSetupError) -> ServedModel {
        try load(path: path) { file, tokenizer throws(ServerSetupError) in
            let model: any LanguageModel
            do {
                model = try ArchitectureRegistry.load(file)
            } catch {
                throw ServerSetupError("cannot load '\(path)': \(error)")
            }
            do {
                return try InferenceEngine(model: model, tokenizer: tokenizer, configuration: configuration)
            } catch {
                throw ServerSetupError("\(error)")
            }
        }
    }

    /// Opens the model at `path` for its tokenizer and chat template, and serves it with the engine
    /// `makeEngine` builds (not started): in process, or over a cluster pipeline whose readiness
    /// `isBackendReady` reports.
    public static func load(
        path: String, isBackendReady: @escaping @Sendable () -> Bool = { true },
        makeEngine: (GGUFFile, any Tokenizer) throws(ServerSetupError) -> InferenceEngine
    ) throws(ServerSetupError) -> ServedModel {
        let file: GGUFFile
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw ServerSetupError("cannot open '\(path)': \(error)")
        }
        let tokenizer: any Tokenizer
        do {
            tokenizer = try makeTokenizer(metadata: file.metadata)
        } catch {
            throw ServerSetupError("cannot build the tokenizer of '\(path)': \(error)")
        }
        let engine = try makeEngine(file, tokenizer)
        var template: ChatTemplate?
        var problem: String?
        do {
            if let source = try file.metadata.stringIfPresent("tokenizer.chat_template") {
                template = try ChatTemplate(source: source)
            } else {
                template = try ChatTemplate.builtin(architecture: file.metadata.string("general.architecture"))
            }
        } catch {
            problem = "\(error)"
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ServedModel(
            id: name, fingerprint: Self.fingerprint(of: file), engine: engine, chatTemplate: template,
            chatTemplateProblem: problem, isBackendReady: isBackendReady)
    }

    /// `fp_` and 16 hex digits of an FNV-1a hash over the file's size, metadata keys and tensor
    /// table (names, types, shapes, offsets): different weights or layouts give a different value.
    static func fingerprint(of file: GGUFFile) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
        }
        mix("\(file.fileSize)/\(file.dataOffset)/")
        for key in file.metadata.keys { mix(key + ";") }
        for tensor in file.tensors { mix("\(tensor.name):\(tensor.type):\(tensor.dimensions):\(tensor.offset);") }
        return "fp_" + String(hash, radix: 16).leftPadded(to: 16)
    }
}

/// The server could not be set up (model, tokenizer, TLS files).
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
