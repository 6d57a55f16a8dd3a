import StrataGGUF
import Testing

/// A bounded, deterministic mutation fuzzer: every mutated file parses into something consistent
/// or throws a `GGUFError`, never crashes or hangs. The libFuzzer harness in `Tests/Fuzz` runs longer.
struct GGUFFuzzTests {
    static let iterations = 50_000

    static func seeds() throws -> [[UInt8]] {
        var seeds = GGUFSeedFiles.crafted()
        if let path = TestFiles.ggufFiles(in: "vocab").first {
            seeds.append(GGUFSeedFiles.reduced(try GGUFFile(path: path)))
        }
        return seeds
    }

    @Test func seedsAreValid() throws {
        for seed in try Self.seeds() {
            let file = try GGUFFile(bytes: seed)
            #expect(invariantViolations(of: file).isEmpty)
        }
    }

    @Test func mutatedFilesParseOrThrow() throws {
        let seeds = try Self.seeds()
        var rng = SplitMix64(seed: 0x6767_5546)
        var parsed = 0
        var errorCases = Set<String>()
        for iteration in 0 ..< Self.iterations {
            let bytes = GGUFMutator.mutate(seeds[iteration % seeds.count], using: &rng)
            do {
                let file = try GGUFFile(bytes: bytes)
                parsed += 1
                let violations = invariantViolations(of: file)
                #expect(violations.isEmpty, "iteration \(iteration): \(violations) in \(bytes)")
            } catch {
                #expect(!error.description.isEmpty)
                errorCases.insert(Mirror(reflecting: error).children.first?.label ?? "\(error)")
            }
        }
        // The mutations must reach both outcomes, or the test proves little.
        #expect(parsed > Self.iterations / 20)
        #expect(parsed < Self.iterations)
        #expect(errorCases.count >= 10, "\(errorCases.sorted())")
    }
}
