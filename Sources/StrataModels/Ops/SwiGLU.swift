#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SiLU-gated feed-forward activation of Llama and Qwen: gate[i] = silu(gate[i]) · up[i],
/// with silu(x) = x / (1 + e⁻ˣ) in f32, as ggml's `swiglu`.
enum SwiGLU {
    static func gated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0 ..< count {
            let x = gate[i]
            gate[i] = x / (1 + expf(-x)) * up[i]
        }
    }
}
