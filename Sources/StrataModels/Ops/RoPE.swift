#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding.
struct RoPE: Sendable {
    /// How element pairs are formed.
    enum Style: Sendable {
        /// Adjacent pairs (2i, 2i+1), the original llama layout.
        case interleaved
        /// Halves (i, i + d/2), the GPT-NeoX layout used by Gemma and Qwen.
        case neox
    }

    let style: Style
    /// Number of leading dimensions of each head that are rotated.
    let dimensions: Int
    /// Inverse frequencies, one per rotated pair: base^(-2i/d) / scale.
    let inverseFrequencies: [Float]

    init(style: Style, dimensions: Int, base: Float, positionScale: Float = 1) {
        self.style = style
        self.dimensions = dimensions
        inverseFrequencies = (0 ..< dimensions / 2).map { pair in
            Float(pow(Double(base), -2 * Double(pair) / Double(dimensions))) * positionScale
        }
    }

    /// Fills `cosSin` (2 × dimensions/2 floats: cosines, then sines) for `position`.
    func angles(position: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let half = dimensions / 2
        for pair in 0 ..< half {
            let theta = Float(position) * inverseFrequencies[pair]
            cosSin[pair] = cosf(theta)
            cosSin[half + pair] = sinf(theta)
        }
    }

    /// Rotates `heads` heads of `headSize` floats at `x` using precomputed `cosSin`.
    func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, headSize: Int, cosSin: UnsafePointer<Float>) {
        let half = dimensions / 2
        for head in 0 ..< heads {
            let h = x + head * headSize
            for pair in 0 ..< half {
                let c = cosSin[pair], s = cosSin[half + pair]
                let (i, j) = style == .neox ? (pair, pair + half) : (2 * pair, 2 * pair + 1)
                let a = h[i], b = h[j]
                h[i] = a * c - b * s
                h[j] = a * s + b * c
            }
        }
    }
}
