/// llama.cpp's `clean_spaces` step of `llama_detokenize`, for BPE vocabularies whose Hugging Face
/// tokenizer sets `clean_up_tokenization_spaces` (GPT-2, Llama 3; not Qwen2). Three passes over
/// the decoded bytes:
/// 1. a space before `?`, `!`, `.` or `,` is removed;
/// 2. a lone apostrophe between spaces loses both spaces (`a ' b` → `a'b`);
/// 3. a space before `'s`, `'m`, `'re` or `'ve` is removed (not before `'t`, `'d`, `'ll`).
enum SpaceCleanup {
    private static let space = UInt8(ascii: " ")
    private static let apostrophe = UInt8(ascii: "'")

    static func apply(_ bytes: inout [UInt8]) {
        bytes = removeSpacesBeforeContractions(removeSpacesAroundApostrophes(removeSpacesBeforePunctuation(bytes)))
    }

    private static func removeSpacesBeforePunctuation(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if index > 0, bytes[index - 1] == space, "?!.,".utf8.contains(byte) { output.removeLast() }
            output.append(byte)
        }
        return output
    }

    private static func removeSpacesAroundApostrophes(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.first else { return bytes }
        var output: [UInt8] = [first]
        output.reserveCapacity(bytes.count)
        // The byte before `index` as llama.cpp sees it: after a removal it has written a NUL over
        // the dropped space, so that space cannot start another match.
        var previous = first
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == apostrophe, index + 1 < bytes.count, previous == space, bytes[index + 1] == space {
                output.removeLast()
                output.append(byte)
                previous = 0
                index += 2
                continue
            }
            output.append(byte)
            previous = byte
            index += 1
        }
        return output
    }

    private static func removeSpacesBeforeContractions(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if index > 0, bytes[index - 1] == space, byte == apostrophe, index + 1 < bytes.count {
                let next = bytes[index + 1]
                let after = index + 2 < bytes.count ? bytes[index + 2] : nil
                let removes = next == UInt8(ascii: "s") || next == UInt8(ascii: "m")
                    || (after == UInt8(ascii: "e") && (next == UInt8(ascii: "r") || next == UInt8(ascii: "v")))
                if removes { output.removeLast() }
            }
            output.append(byte)
        }
        return output
    }
}
