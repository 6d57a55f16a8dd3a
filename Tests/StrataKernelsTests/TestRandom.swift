import Foundation
import StrataTestSupport

/// Seeded test data (SplitMix64) so every test run sees the same data.
struct TestRandom {
    private var source: SplitMix64

    init(seed: UInt64) {
        source = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D)
    }

    mutating func next() -> UInt64 {
        source.next()
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Float {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    mutating func gaussians(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in gaussian() * scale }
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
