// Writes the libFuzzer seed corpus: the crafted files of GGUFSeedFiles, and a reduced copy of the
// header of each real GGUF file given. Built by run-gguf-fuzz.sh; not a SwiftPM target.
//
// Usage: make-seeds <output directory> [file.gguf ...]

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum MakeSeeds {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            fputs("usage: make-seeds <output directory> [file.gguf ...]\n", stderr)
            exit(2)
        }
        let directory = arguments[1]
        mkdir(directory, 0o755)
        var count = 0
        for (index, bytes) in GGUFSeedFiles.crafted().enumerated() {
            write(bytes, to: "\(directory)/crafted-\(index).gguf")
            count += 1
        }
        for path in arguments.dropFirst(2) {
            do {
                let name = path.split(separator: "/").last.map(String.init) ?? "real.gguf"
                write(GGUFSeedFiles.reduced(try GGUFFile(path: path)), to: "\(directory)/reduced-\(name)")
                count += 1
            } catch {
                fputs("skipping \(path): \(error)\n", stderr)
            }
        }
        print("wrote \(count) seed files to \(directory)")
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard let file = fopen(path, "wb") else {
            fputs("cannot write \(path)\n", stderr)
            exit(1)
        }
        defer { fclose(file) }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    }
}
