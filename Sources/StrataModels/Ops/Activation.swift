#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gated feed-forward activations.
enum Activation {
    private static let sqrtTwoOverPi: Float = 0.797_884_560_802_865_4
    private static let geluCoefficient: Float = 0.044_715

    /// GELU, tanh approximation.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(sqrtTwoOverPi * x * (1 + geluCoefficient * x * x)))
    }

    /// SiLU: x · sigmoid(x).
    @inline(__always)
    static func silu(_ x: Float) -> Float {
        x / (1 + expf(-x))
    }

    /// gate[i] = gelu(gate[i]) · up[i].
    static func geluGated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0 ..< count { gate[i] = gelu(gate[i]) * up[i] }
    }

    /// gate[i] = silu(gate[i]) · up[i].
    static func siluGated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0 ..< count { gate[i] = silu(gate[i]) * up[i] }
    }
}
