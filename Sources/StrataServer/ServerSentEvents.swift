import Foundation
import NIOCore

/// Server-Sent Events framing of streamed answers: `data: {json}\n\n` per chunk, then
/// `data: [DONE]\n\n`.
enum ServerSentEvents {
    /// The headers of a streamed answer.
    static let contentType = "text/event-stream; charset=utf-8"

    /// One event carrying `value` as compact JSON.
    static func event(_ value: some Encodable, encoder: JSONEncoder) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("data: ")
        buffer.writeBytes(try encoder.encode(value))
        buffer.writeString("\n\n")
        return buffer
    }

    /// The closing event.
    static var done: ByteBuffer { ByteBuffer(string: "data: [DONE]\n\n") }
}
