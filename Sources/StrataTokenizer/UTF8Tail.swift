/// Where a byte stream can be cut without splitting a UTF-8 character.
enum UTF8Tail {
    /// Length of the trailing bytes of `bytes` that begin a valid multi-byte character but do not
    /// complete it yet, so that more bytes could still make them valid; 0 when the end is settled.
    ///
    /// Cutting there is safe: the trailing bytes start at a lead byte, where any UTF-8 decoder
    /// starts a new character, so decoding the part before and the rest later gives the same
    /// text (with the same U+FFFD replacements) as decoding everything at once.
    static func incompleteLength(of bytes: some BidirectionalCollection<UInt8>) -> Int {
        var trailing = 0
        var index = bytes.endIndex
        while index != bytes.startIndex, trailing < 4 {
            bytes.formIndex(before: &index)
            trailing += 1
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 { continue }  // continuation: keep looking for the lead
            guard let needed = sequenceLength(lead: byte), needed > trailing else { return 0 }
            let second = bytes.index(after: index)
            if second != bytes.endIndex, !secondByteRange(lead: byte).contains(bytes[second]) {
                return 0
            }
            return trailing
        }
        return 0
    }

    /// Length of the sequence a valid lead byte starts; nil for ASCII and invalid leads.
    private static func sequenceLength(lead: UInt8) -> Int? {
        switch lead {
        case 0xC2 ... 0xDF: 2
        case 0xE0 ... 0xEF: 3
        case 0xF0 ... 0xF4: 4
        default: nil
        }
    }

    /// Allowed second bytes after a lead (Unicode Table 3-7): no overlongs, surrogates or > U+10FFFF.
    private static func secondByteRange(lead: UInt8) -> ClosedRange<UInt8> {
        switch lead {
        case 0xE0: 0xA0 ... 0xBF
        case 0xED: 0x80 ... 0x9F
        case 0xF0: 0x90 ... 0xBF
        case 0xF4: 0x80 ... 0x8F
        default: 0x80 ... 0xBF
        }
    }
}
