/// One piece of an h2c response, in arrival order: the status first, then body bytes.
public enum H2CResponsePart: Sendable, Equatable {
    /// The response head's status code and reason phrase.
    case head(status: Int, reason: String)
    /// A piece of the body, as it arrived.
    case body([UInt8])
}
