import Foundation

/// Where and how requests are sent.
public struct TargetServer: Sendable, Equatable {
    /// Base URL, e.g. `http://127.0.0.1:8080` (a trailing `/v1` or `/` is accepted).
    public var baseURL: String
    /// The `model` field of each request.
    public var model: String
    /// Sent as `Authorization: Bearer …` when set.
    public var apiKey: String?
    /// Completions or chat.
    public var endpoint: Endpoint
    /// Streaming (`"stream": true` with `stream_options.include_usage`) or one JSON response.
    public var stream: Bool
    /// Use HTTP/2: negotiated by ALPN over `https://`, with prior knowledge (h2c) over `http://`.
    public var http2: Bool
    /// Sampling temperature, sent only when set.
    public var temperature: Double?
    /// Sends `"ignore_eos": true` (a vLLM and llama.cpp extension) so every request runs to `max_tokens`.
    public var ignoreEOS: Bool
    /// Asks for each generated token's log probability (for `ab`'s output comparison).
    public var logprobs = false
    /// Seconds a request may take, and the longest silence between two pieces of its response.
    public var timeout: Double

    /// A target; throws when the URL is not http(s) or the timeout not positive.
    public init(
        baseURL: String, model: String, apiKey: String? = nil, endpoint: Endpoint = .completions, stream: Bool = true,
        http2: Bool = false, temperature: Double? = nil, ignoreEOS: Bool = false, timeout: Double = 300
    ) throws(BenchError) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidOption("--url must be an http:// or https:// URL, not '\(baseURL)'")
        }
        guard timeout > 0, timeout.isFinite else { throw .invalidOption("--timeout must be positive") }
        self.baseURL = base
        self.model = model
        self.apiKey = apiKey
        self.endpoint = endpoint
        self.stream = stream
        self.http2 = http2
        self.temperature = temperature
        self.ignoreEOS = ignoreEOS
        self.timeout = timeout
    }

    /// The full URL requests go to.
    public var requestURL: String { baseURL + endpoint.path }

    /// The base URL's scheme, host, port (the scheme's default when absent) and path, which
    /// request paths are appended to; `nil` only if `baseURL` was changed to something unparsable.
    public var address: (scheme: String, host: String, port: Int, path: String)? {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme, let host = components.host,
              !host.isEmpty
        else { return nil }
        return (scheme, host, components.port ?? (scheme == "https" ? 443 : 80), components.path)
    }

    /// The JSON body of `request`.
    public func body(for request: BenchRequest) -> Data {
        var object: [String: Any] = ["model": model, "max_tokens": request.maxTokens, "stream": stream]
        switch endpoint {
        case .completions: object["prompt"] = request.prompt
        case .chat: object["messages"] = [["role": "user", "content": request.prompt]]
        }
        if stream { object["stream_options"] = ["include_usage": true] }
        if let temperature { object["temperature"] = temperature }
        if ignoreEOS { object["ignore_eos"] = true }
        if logprobs { object["logprobs"] = endpoint == .completions ? 1 as Any : true as Any }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
