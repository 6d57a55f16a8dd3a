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

    /// An error inside a stream that has already started: OpenAI's error object as an event
    /// (`data: {"error": {...}}`), as vLLM sends one.
    static func error(_ error: APIError, encoder: JSONEncoder) throws -> ByteBuffer {
        try event(APIError.Body(error: .init(message: error.message, type: error.type, param: error.param, code: error.code)),
                  encoder: encoder)
    }

    /// The closing event.
    static var done: ByteBuffer { ByteBuffer(string: "data: [DONE]\n\n") }
}
