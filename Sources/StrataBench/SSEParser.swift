/// An incremental parser of a `text/event-stream` body (the WHATWG server-sent events format):
/// bytes go in as they arrive, in pieces of any size, and complete events come out.
///
/// Lines end in LF, CRLF or CR (a CRLF split across two pieces counts once); an empty line ends
/// an event; `data:` lines are joined with newlines; lines starting with `:` are comments; one
/// space after the colon is dropped. A line longer than `maximumLineLength` is an error, so a
/// server that never sends a newline cannot make the client grow without bound.
public struct SSEParser: Sendable {
    /// One server-sent event.
    public struct Event: Sendable, Equatable {
        /// The `event:` field, empty when absent.
        public var name: String
        /// The `data:` lines joined with newlines.
        public var data: String
    }

    /// The stream broke the format's limits.
    public enum Failure: Error, Equatable {
        /// A line exceeded the maximum length.
        case lineTooLong(Int)
    }

    /// The longest line accepted, in bytes.
    public let maximumLineLength: Int
    private var line: [UInt8] = []
    private var afterCR = false
    private var dataLines: [String] = []
    private var eventName = ""
    private var hasData = false

    /// A parser with an empty buffer.
    public init(maximumLineLength: Int = 4 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Consumes `bytes` and returns the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws(Failure) -> [Event] where Bytes.Element == UInt8 {
        var events: [Event] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                afterCR = true
                if let event = endLine() { events.append(event) }
            default:
                guard line.count < maximumLineLength else { throw .lineTooLong(maximumLineLength) }
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a last event not followed by an empty line is still returned.
    public mutating func finish() -> Event? {
        if !line.isEmpty { _ = endLine() }
        return dispatch()
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch field {
        case "data":
            dataLines.append(value)
            hasData = true
        case "event":
            eventName = value
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> Event? {
        defer {
            dataLines.removeAll()
            eventName = ""
            hasData = false
        }
        guard hasData else { return nil }
        return Event(name: eventName, data: dataLines.joined(separator: "\n"))
    }
}
