@testable import StrataBench
import XCTest

/// Server-sent events split at every possible place, with the format's edge cases.
final class SSEParserTests: XCTestCase {
    private let stream = ": keep-alive comment\r\ndata: {\"a\":1}\r\n\r\nevent: note\ndata: line one\ndata:line two\n\ndata: [DONE]\n\n"
    private let expected = [
        SSEParser.Event(name: "", data: "{\"a\":1}"),
        SSEParser.Event(name: "note", data: "line one\nline two"),
        SSEParser.Event(name: "", data: "[DONE]"),
    ]

    func testWholeStream() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array(stream.utf8)), expected)
        XCTAssertNil(parser.finish())
    }

    func testEverySplitPointGivesTheSameEvents() throws {
        let bytes = Array(stream.utf8)
        for split in 0 ... bytes.count {
            var parser = SSEParser()
            let events = try parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            XCTAssertEqual(events, expected, "split at \(split)")
        }
        var parser = SSEParser()
        var events: [SSEParser.Event] = []
        for byte in bytes { events += try parser.feed([byte]) }
        XCTAssertEqual(events, expected, "byte by byte")
    }

    func testCRLineEndingsAndCRLFSplitAcrossPieces() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array("data: x\r".utf8)), [])
        XCTAssertEqual(try parser.feed(Array("\n\r".utf8)), [SSEParser.Event(name: "", data: "x")])
        XCTAssertEqual(try parser.feed(Array("data: y\r\r".utf8)), [SSEParser.Event(name: "", data: "y")])
    }

    func testLastEventWithoutBlankLineIsReturnedAtTheEnd() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array("data: tail".utf8)), [])
        XCTAssertEqual(parser.finish(), SSEParser.Event(name: "", data: "tail"))
    }

    func testFieldsWithoutDataMakeNoEvent() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array("id: 3\nretry: 10\nevent: x\n\n".utf8)), [])
        XCTAssertEqual(try parser.feed(Array("data\n\n".utf8)), [SSEParser.Event(name: "", data: "")], "a bare `data` field is empty data")
    }

    func testOverlongLineIsAnError() {
        var parser = SSEParser(maximumLineLength: 16)
        XCTAssertThrowsError(try parser.feed(Array(("data: " + String(repeating: "x", count: 20)).utf8))) { error in
            XCTAssertEqual(error as? SSEParser.Failure, .lineTooLong(16))
        }
    }
}
