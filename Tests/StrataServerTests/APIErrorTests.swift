import Foundation
import Hummingbird
import StrataEngine
import Testing
@testable import StrataServer

/// Engine refusals and decoding failures → OpenAI error objects, without a model.
@Suite struct APIErrorTests {
    @Test func engineRefusalsMapToStatuses() {
        #expect(APIError(EngineError.queueFull(limit: 2)).status == .tooManyRequests)
        #expect(APIError(EngineError.queueFull(limit: 2)).retryAfterSeconds == 1)
        #expect(APIError(EngineError.shuttingDown).status == .serviceUnavailable)
        #expect(APIError(EngineError.emptyPrompt).status == .badRequest)
        let overflow = APIError(.contextOverflow(promptTokens: 10, maxTokens: 20, contextLength: 16), promptParam: "messages")
        #expect(overflow.status == .badRequest && overflow.param == "messages" && overflow.code == "context_length_exceeded")
        #expect(overflow.message.contains("16") && overflow.message.contains("30"))
        #expect(APIError(EngineError.invalidParameter(name: "min_tokens", reason: "x")).param == "min_tokens")
    }

    @Test func responsesCarryTheErrorObjectAndRetryAfter() throws {
        let response = APIError(EngineError.queueFull(limit: 2)).response()
        #expect(response.status.code == 429)
        #expect(response.headers[.retryAfter] == "1")
        #expect(response.headers[.contentType] == "application/json")
    }

    @Test func decodingErrorsNameTheField() {
        struct Body: Decodable { var temperature: Double; var stop: [String] }
        func error(_ json: String) -> APIError? {
            do {
                _ = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
                return nil
            } catch let error as DecodingError {
                return .decoding(error)
            } catch {
                return nil
            }
        }
        #expect(error(#"{"temperature": "hot", "stop": []}"#)?.param == "temperature")
        #expect(error(#"{"temperature": 1, "stop": [1]}"#)?.param == "stop[0]")
        #expect(error(#"{"stop": []}"#)?.param == "temperature")
        #expect(error(#"{"#)?.param == nil)
        #expect(error(#"{"#)?.status == .badRequest)
    }
}
