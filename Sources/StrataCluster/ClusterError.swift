/// Why a cluster part could not start or a step could not run.
public enum ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A flag, topology or token is unusable.
    case configuration(String)
    /// The worker at `address` is unreachable, closed the connection or answered too late.
    case unreachable(address: String, reason: String)
    /// The worker at `address` answered with HTTP `status`.
    case refused(address: String, status: Int, message: String)
    /// A peer sent a frame that does not decode.
    case malformed(address: String, WireError)
    /// The stages do not form one pipeline of one model.
    case topology(String)
    /// A step's request is not valid for this stage.
    case invalidStep(String)

    public var description: String {
        switch self {
        case let .configuration(message): message
        case let .unreachable(address, reason): "worker \(address) unreachable: \(reason)"
        case let .refused(address, status, message): "worker \(address) refused (HTTP \(status)): \(message)"
        case let .malformed(address, error): "worker \(address) sent a bad frame: \(error)"
        case let .topology(message): "bad pipeline: \(message)"
        case let .invalidStep(message): "invalid step: \(message)"
        }
    }
}
