/// Incremental detokenizer for generation: feed token ids one at a time and get back only text
/// that is complete.
///
/// A character split across byte-fallback tokens (emoji, CJK) is held until its last byte
/// arrives. Bytes that can no longer form a valid character come out as U+FFFD as soon as that
/// is certain, so the concatenated output always equals a one-shot decode of all the bytes.
/// Pieces are streamed as is, as llama.cpp's server does: no leading-space removal.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any Tokenizer
    /// Whether control tokens are rendered as their text.
    public let renderSpecial: Bool
    private var pending: [UInt8] = []

    /// A decoder of `tokenizer`'s ids; control tokens are dropped unless `renderSpecial`.
    public init(tokenizer: any Tokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Whether bytes of an unfinished character are being held.
    public var hasPendingBytes: Bool { !pending.isEmpty }

    /// Feeds one token; returns the text it completes (often the whole piece, possibly empty).
    public mutating func append(_ id: TokenID) -> String {
        tokenizer.appendPiece(id, renderSpecial: renderSpecial, to: &pending)
        return takeCompleteText()
    }

    /// Feeds raw bytes; returns the text they complete.
    public mutating func append(bytes: some Sequence<UInt8>) -> String {
        pending.append(contentsOf: bytes)
        return takeCompleteText()
    }

    /// Ends the stream: held bytes of an unfinished character come out as U+FFFD.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    private mutating func takeCompleteText() -> String {
        let held = UTF8Tail.incompleteLength(of: pending)
        let ready = pending.count - held
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }
}
