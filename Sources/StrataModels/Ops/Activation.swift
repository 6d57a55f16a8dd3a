#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Feed-forward activation functions.
enum Activation {
    private static let sqrtTwoOverPi: Float = 0.797_884_560_802_865_4
    private static let geluCoefficient: Float = 0.044_715

    /// GELU, tanh approximation.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(sqrtTwoOverPi * x * (1 + geluCoefficient * x * x)))
    }
}

/// GELU as ggml evaluates it on CPU: the input rounded to fp16, the result looked up in a table of
/// fp16 values, zero below −10 and the identity above 10. Matching the reference's rounding keeps
/// Strata's logits next to llama.cpp's, and a lookup is cheaper than `tanh`.
struct HalfPrecisionGELU: Sendable {
    private let table: [Float]  // [65536], indexed by fp16 bit pattern

    init() {
        table = (0 ..< 65536).map { bits in
            Float(Float16(Activation.gelu(Float(Float16(bitPattern: UInt16(bits))))))
        }
    }

    /// gate[i] = gelu(gate[i]) · up[i], using `halves` (count values) as scratch.
    func gated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int, halves: UnsafeMutablePointer<UInt16>) {
        HalfKernels.best.toHalf(gate, halves, Int64(count))
        table.withUnsafeBufferPointer { lookup in
            for i in 0 ..< count {
                let x = gate[i]
                gate[i] = x <= -10 ? 0 : (x >= 10 ? x * up[i] : lookup[Int(halves[i])] * up[i])
            }
        }
    }
}
