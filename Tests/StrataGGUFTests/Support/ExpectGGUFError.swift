import StrataGGUF
import Testing

/// Expects parsing `bytes` to throw exactly `expected`, with a message that names every string in `naming`.
func expectParse(
    _ bytes: [UInt8], throws expected: GGUFError, naming: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let file = try GGUFFile(bytes: bytes)
        Issue.record("parsed a file with \(file.tensors.count) tensors, expected \(expected)", sourceLocation: sourceLocation)
    } catch {
        #expect(error == expected, sourceLocation: sourceLocation)
        for name in naming {
            #expect(error.description.contains(name), "'\(error)' should name '\(name)'", sourceLocation: sourceLocation)
        }
    }
}

/// Expects `body` to throw exactly `expected`, with a message that names every string in `naming`.
func expectError<T>(
    _ expected: GGUFError, naming: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(GGUFError) -> T
) {
    do {
        let value = try body()
        Issue.record("returned \(value), expected \(expected)", sourceLocation: sourceLocation)
    } catch {
        #expect(error == expected, sourceLocation: sourceLocation)
        for name in naming {
            #expect(error.description.contains(name), "'\(error)' should name '\(name)'", sourceLocation: sourceLocation)
        }
    }
}
