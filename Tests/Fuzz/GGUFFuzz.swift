// libFuzzer target for the GGUF reader. Built by run-gguf-fuzz.sh together with
// Sources/StrataGGUF/*.swift and Tests/StrataGGUFTests/Support/GGUFInvariants.swift as one module,
// with -sanitize=fuzzer,address. Not a SwiftPM target.

/// Parses the input; a file that is accepted must satisfy every invariant, else this traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func ggufFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let file = try GGUFFile(bytes: bytes)
        let violations = invariantViolations(of: file)
        if !violations.isEmpty {
            fatalError("accepted GGUF file breaks invariants: \(violations)")
        }
    } catch {
        precondition(!error.description.isEmpty)
    }
    return 0
}
