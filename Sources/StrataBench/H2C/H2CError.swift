/// Why an h2c (HTTP/2 with prior knowledge) request failed before its response ended. Each case
/// maps to a `FailureKind` in `RequestRunner.kind(of:afterHead:)`.
public enum H2CError: Error, Equatable, CustomStringConvertible {
    /// The TCP connection could not be made (refused, unreachable, connect timeout).
    case connect(address: String, reason: String)
    /// No response, or no next piece of it, within the timeout; or the whole request took longer.
    case timeout(String)
    /// The stream or its connection closed before the response ended (reset, GOAWAY, dropped).
    case streamClosed(String)
    /// The client was shut down.
    case shutDown

    public var description: String {
        switch self {
        case .connect(let address, let reason): return "cannot connect to \(address): \(reason)"
        case .timeout(let reason): return "timeout: \(reason)"
        case .streamClosed(let reason): return "HTTP/2 stream closed: \(reason)"
        case .shutDown: return "the HTTP/2 client was shut down"
        }
    }
}
