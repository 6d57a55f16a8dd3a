/// GPT-2's byte ↔ unicode mapping for byte-level BPE (`bytes_to_unicode` in OpenAI's encoder,
/// `unicode_byte_to_utf8` in llama.cpp).
///
/// Printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 bytes
/// (controls, space, DEL, NBSP, soft hyphen) become U+0100, U+0101, … in byte order. So a space
/// is `Ġ` (U+0120) and a newline `Ċ` (U+010A). Vocabulary pieces are written in this alphabet.
enum ByteLevelMapping {
    /// The UTF-8 bytes of each byte's stand-in character.
    static let encoded: [[UInt8]] = (0 ..< 256).map { Array(String(scalar(for: UInt8($0))).utf8) }

    /// The byte each stand-in scalar (all below U+0144) stands for, or nil.
    private static let decoded: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 0x144)
        for byte in 0 ..< 256 {
            table[Int(scalar(for: UInt8(byte)).value)] = UInt8(byte)
        }
        return table
    }()

    /// The stand-in character of `byte`.
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        if isPrintable(byte) { return Unicode.Scalar(byte) }
        var shifted: UInt32 = 0
        for other in 0 ..< Int(byte) where !isPrintable(UInt8(other)) { shifted += 1 }
        return Unicode.Scalar(0x100 + shifted)!
    }

    /// Appends `bytes` written in the byte-level alphabet, as UTF-8.
    static func appendEncoded(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        for byte in bytes { output.append(contentsOf: encoded[Int(byte)]) }
    }

    /// Appends the bytes a piece written in the byte-level alphabet stands for. A character outside
    /// the alphabet (only in malformed vocabularies) is kept as its UTF-8 bytes.
    static func appendDecoded(_ piece: ArraySlice<UInt8>, to output: inout [UInt8]) {
        for scalar in String(decoding: piece, as: UTF8.self).unicodeScalars {
            if Int(scalar.value) < decoded.count, let byte = decoded[Int(scalar.value)] {
                output.append(byte)
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte) || (0xAE ... 0xFF).contains(byte)
    }
}
