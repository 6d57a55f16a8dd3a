import ArgumentParser
import Foundation

/// A command failed for a reason worth one clear line; the message is printed to stderr.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) { description = message }
    init(_ error: any Error) { description = String(describing: error) }
}

/// Prints `message` on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Writes `text` to standard output immediately (for streaming).
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
