import StrataEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The draws a workload needs, on the engine's seedable generator (xoshiro256**), so that a
/// `--seed` makes a workload and its arrival times reproducible on every platform.
extension RandomSource {
    /// A uniform draw in the open interval (0, 1): never exactly 0, so logarithms are safe.
    public mutating func unitOpen() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = unitOpen(), u2 = unitOpen()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A gamma draw with the given shape k > 0 and scale θ > 0 (Marsaglia–Tsang; for k < 1 the
    /// draw for k + 1 is scaled by U^(1/k)). Mean kθ, variance kθ².
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1, scale: scale) * pow(unitOpen(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            var v = 1 + c * x
            guard v > 0 else { continue }
            v = v * v * v
            let u = unitOpen()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v * scale
            }
        }
    }
}
