import NIOHTTP2

extension NIOHTTP2Handler.Configuration {
    /// Large flow-control windows: a step carries up to a few MiB of hidden states in one stream,
    /// which HTTP/2's default 64 KiB window would split into many round trips.
    static var cluster: NIOHTTP2Handler.Configuration {
        let window = 16 << 20
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 64),
            HTTP2Setting(parameter: .initialWindowSize, value: window),
            HTTP2Setting(parameter: .maxFrameSize, value: 1 << 20),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 16 << 10),
        ]
        configuration.connection.targetWindowSize = window
        configuration.stream.targetWindowSize = window
        configuration.stream.outboundBufferSizeHighWatermark = 1 << 20
        configuration.stream.outboundBufferSizeLowWatermark = 1 << 19
        return configuration
    }
}
