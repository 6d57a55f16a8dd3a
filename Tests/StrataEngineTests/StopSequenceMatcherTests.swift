import StrataEngine
import StrataTestSupport
import Testing

@Suite struct StopSequenceMatcherTests {
    private func run(_ pieces: [String], stops: [String]) -> (released: [String], matched: String?) {
        var matcher = StopSequenceMatcher(stops: stops)
        var released: [String] = []
        for piece in pieces {
            let result = matcher.append(piece)
            released.append(result.text)
            if let stop = result.matched { return (released, stop) }
        }
        released.append(matcher.flush())
        return (released, nil)
    }

    @Test func holdsBackAPossibleStartAndReleasesItWhenItIsNotAStop() {
        let (released, matched) = run(["Hello", " wor", "ld", "!"], stops: ["world peace"])
        #expect(matched == nil)
        #expect(released == ["Hello", " ", "", "world!", ""])
    }

    @Test func cutsTheTextBeforeAStopSplitAcrossPieces() {
        let (released, matched) = run(["one two", " th", "ree four"], stops: ["three"])
        #expect(matched == "three")
        #expect(released.joined() == "one two ")
    }

    @Test func theStopThatEndsFirstWins() {
        let (released, matched) = run(["a b c d"], stops: ["d", "b"])
        #expect(matched == "b")
        #expect(released.joined() == "a ")
        #expect(run(["x", "ab"], stops: ["xab", "a"]).matched == "a")
        #expect(run(["xab"], stops: ["xab", "a"]).matched == "a", "the same whatever the pieces")
    }

    @Test func multiByteCharactersAreNeverSplit() {
        let (released, matched) = run(["caf", "é au", " lait"], stops: ["é!"])
        #expect(matched == nil)
        #expect(released.joined() == "café au lait")
        #expect(released.allSatisfy { String(decoding: Array($0.utf8), as: UTF8.self) == $0 })
    }

    @Test func withoutMatchingEverythingIsReleased() {
        var matcher = StopSequenceMatcher(stops: ["stop"])
        #expect(matcher.append("do not stop", matching: false) == .init(text: "do not stop", matched: nil))
        #expect(matcher.append(" now stop", matching: true) == .init(text: " now ", matched: "stop"))
    }

    @Test func randomTextAgreesWithAOneShotSearch() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array("ab é")
        for _ in 0 ..< 2000 {
            let text = String((0 ..< Int.random(in: 0 ... 20, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let stops = (0 ..< Int.random(in: 1 ... 3, using: &random)).map { _ in
                String((0 ..< Int.random(in: 1 ... 3, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            }
            var pieces: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                let length = Int.random(in: 1 ... 4, using: &random)
                pieces.append(String(rest.prefix(length)))
                rest = rest.dropFirst(length)
            }
            let (released, matched) = run(pieces, stops: stops)
            // Reference: the occurrence that ends first; on a tie, the one that starts first.
            let bytes = Array(text.utf8)
            let firstStop = stops.compactMap { stop -> (Int, String)? in
                let needle = Array(stop.utf8)
                guard needle.count <= bytes.count else { return nil }
                return (0 ... bytes.count - needle.count).first { bytes[$0 ..< $0 + needle.count].elementsEqual(needle) }
                    .map { ($0, stop) }
            }.min { ($0.0 + $0.1.utf8.count, $0.0) < ($1.0 + $1.1.utf8.count, $1.0) }
            #expect(released.joined() == (firstStop.map { String(decoding: bytes[..<$0.0], as: UTF8.self) } ?? text),
                    "\(pieces) \(stops)")
            #expect((matched != nil) == (firstStop != nil))
        }
    }
}
