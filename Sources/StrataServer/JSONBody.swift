import Foundation
import Hummingbird
import NIOCore

/// Reading JSON request bodies and writing JSON responses.
enum JSONBody {
    /// The encoder of every JSON answer (compact; `/` not escaped).
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// Collects at most `limit` bytes of `request`'s body and decodes them as `T`.
    ///
    /// - Throws: `APIError` 413 past the limit, 400 naming the field for malformed JSON or a
    ///   field of the wrong type.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws(APIError) -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limit: limit)
        } catch {
            throw APIError.from(error, path: request.uri.path)
        }
        guard buffer.readableBytes > 0 else { throw .invalidRequest("The request body is empty; send a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw .decoding(error)
        } catch {
            throw .invalidRequest("The body is not valid JSON")
        }
    }

    /// A 200 response carrying `value` as JSON.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws(APIError) -> Response {
        let data: Data
        do {
            data = try makeEncoder().encode(value)
        } catch {
            throw .internalError("cannot encode the response: \(error)")
        }
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
