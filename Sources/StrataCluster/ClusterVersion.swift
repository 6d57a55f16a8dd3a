/// The cluster protocol version a worker and a coordinator must share.
public enum ClusterVersion {
    /// Version of the binary step wire format and the handshake; both sides must agree exactly.
    public static let wire: UInt16 = 1
}
