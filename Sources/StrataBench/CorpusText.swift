import Foundation

/// Real prose to cut prompts from, so that tokenizers see natural text (the license texts under
/// `/usr/share/common-licenses` that every Debian machine has).
public struct CorpusText: Sendable {
    /// The default directory of text files.
    public static let defaultDirectory = "/usr/share/common-licenses"

    /// The corpus as a sequence of words.
    public let words: [Substring]

    /// A corpus of the words of `text`; throws when it has fewer than 100.
    public init(text: String) throws(BenchError) {
        words = text.split(whereSeparator: \.isWhitespace)
        guard words.count >= 100 else { throw .noCorpusText("only \(words.count) words of text") }
    }

    /// A corpus of every regular file in `directory`, in name order (symbolic links skipped,
    /// so the same license is not read twice).
    public init(directory: String = CorpusText.defaultDirectory) throws(BenchError) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            throw .noCorpusText("cannot list \(directory)")
        }
        var text = ""
        for name in names.sorted() {
            let path = directory + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let data = manager.contents(atPath: path)
            else { continue }
            text += String(decoding: data, as: UTF8.self) + "\n"
        }
        try self.init(text: text)
    }

    /// `count` consecutive words starting at `start` (wrapping around the end), joined by spaces.
    public func passage(from start: Int, words count: Int) -> String {
        var result = ""
        result.reserveCapacity(count * 7)
        for index in 0 ..< count {
            if index > 0 { result += " " }
            result += words[(start + index) % words.count]
        }
        return result
    }
}
