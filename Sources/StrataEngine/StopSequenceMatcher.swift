/// Finds stop strings in streamed text without ever releasing text that a stop string might
/// still swallow.
///
/// Text goes in piece by piece; what comes out is safe to show. A tail that could be the start
/// of a stop string is held back until the next piece decides it. When a stop string appears
/// (the one that ends first, if several do), the text before it is released and the stop string itself (and anything after) is dropped,
/// as OpenAI's `stop` does. Matching is on UTF-8 bytes, so a match always starts on a
/// character boundary and held-back text never splits a character.
public struct StopSequenceMatcher: Sendable {
    private let stops: [[UInt8]]
    private var pending: [UInt8] = []

    /// A matcher for `stops`; empty strings are ignored.
    public init(stops: [String]) {
        self.stops = stops.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// The outcome of appending a piece of text.
    public struct Result: Sendable, Equatable {
        /// Text safe to release now.
        public var text: String
        /// The stop string found, if any; nothing more should be generated.
        public var matched: String?

        /// A result releasing `text`, with the stop string `matched` if one was found.
        public init(text: String, matched: String?) {
            self.text = text
            self.matched = matched
        }
    }

    /// Appends `text`; with `matching` false (before `min_tokens`) stop strings are not looked
    /// for and all text is released.
    public mutating func append(_ text: String, matching: Bool = true) -> Result {
        pending.append(contentsOf: text.utf8)
        guard matching, !stops.isEmpty else { return Result(text: takePending(upTo: pending.count), matched: nil) }
        if let (start, stop) = earliestMatch() {
            let released = takePending(upTo: start)
            pending.removeAll()
            return Result(text: released, matched: String(decoding: stop, as: UTF8.self))
        }
        return Result(text: takePending(upTo: pending.count - heldBackLength()), matched: nil)
    }

    /// Releases whatever is held back (the stream ended without a match).
    public mutating func flush() -> String {
        takePending(upTo: pending.count)
    }

    /// The complete stop string in `pending` that ends first (on a tie, the longer one), and
    /// where it starts. Ending first is what a stream can decide without seeing more text, so
    /// the outcome does not depend on how the text was split into pieces.
    private func earliestMatch() -> (Int, [UInt8])? {
        var best: (start: Int, stop: [UInt8])?
        for stop in stops where stop.count <= pending.count {
            for start in 0 ... pending.count - stop.count {
                let end = start + stop.count
                if let best, end > best.start + best.stop.count || (end == best.start + best.stop.count && start >= best.start) {
                    break
                }
                if pending[start ..< end].elementsEqual(stop) {
                    best = (start, stop)
                    break
                }
            }
        }
        return best.map { ($0.start, $0.stop) }
    }

    /// Length of the longest suffix of `pending` that is a proper prefix of some stop string.
    private func heldBackLength() -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                if pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }

    private mutating func takePending(upTo end: Int) -> String {
        guard end > 0 else { return "" }
        let text = String(decoding: pending[..<end], as: UTF8.self)
        pending.removeFirst(end)
        return text
    }
}
