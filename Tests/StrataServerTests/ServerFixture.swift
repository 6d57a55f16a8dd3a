import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import StrataEngine
import StrataTestSupport
import Testing
@testable import StrataServer

/// The default model behind a running engine, loaded once for every test in this target.
enum ServerFixture {
    /// Context length of the test engine: small, so "too long" prompts are cheap.
    static let contextLength = 1024

    private static let loaded: Result<ServedModel, any Error> = Result {
        let path = try TestResources.requireDefaultModel()
        let model = try ServedModel.load(
            path: path,
            configuration: EngineConfiguration(kvCacheMegabytes: 256, maxRunning: 8, contextLength: contextLength, threads: 2))
        model.engine.start()
        return model
    }

    /// The served default model (its engine running).
    static func model() throws -> ServedModel { try loaded.get() }

    /// An application over the shared model, with its own metrics; plaintext HTTP/1.1 + h2c.
    static func application(apiKey: String? = nil, limits: ServerLimits = .init()) throws -> some ApplicationProtocol {
        let api = try StrataAPI(model: try model(), apiKey: apiKey, limits: limits)
        return Application(
            router: api.makeRouter(),
            server: try ServerTransport(host: "127.0.0.1", port: 0).serverBuilder(),
            configuration: ServerTransport(host: "127.0.0.1", port: 0).applicationConfiguration)
    }
}

/// Helpers for requests and decoding answers.
extension TestClientProtocol {
    /// POSTs `json` (raw text) to `uri`.
    func post(_ uri: String, json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(value as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    /// The `error` object of an OpenAI error answer.
    func error() throws -> [String: Any] {
        try #require(try object()["error"] as? [String: Any])
    }

    /// The `data:` payloads of a Server-Sent Events body, in order.
    func events() -> [String] {
        String(buffer: body).components(separatedBy: "\n\n").compactMap { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : nil
        }
    }

    /// The JSON chunks of an event stream (all events but `[DONE]`).
    func chunks() throws -> [[String: Any]] {
        try events().filter { $0 != "[DONE]" }.map { payload in
            try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        }
    }
}
