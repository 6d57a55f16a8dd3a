import Hummingbird
import NIOCore

/// The request context of the API: Hummingbird's core storage plus the channel the request
/// came on (the TCP connection for HTTP/1.1, the stream for HTTP/2), whose closing tells a
/// generation that its client is gone.
public struct StrataRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Completes when the request's connection or HTTP/2 stream closes.
    public let closeFuture: EventLoopFuture<Void>
    /// The name of the admin key the request carried (set by the admin middleware; the actor
    /// of catalog changes made through `/admin/v1`).
    public var adminActor: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        closeFuture = source.channel.closeFuture
    }
}
