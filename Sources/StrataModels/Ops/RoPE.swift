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
    /// Ratio of consecutive pairs' frequencies: base^(-2/d).
    let frequencyRatio: Float
    /// Multiplier of positions (1 / linear scaling factor).
    let positionScale: Float
    /// Per-pair divisors of the angle (`rope_freqs.weight`, Llama 3.1-style scaling); nil for none.
    let frequencyFactors: [Float]?

    init(style: Style, dimensions: Int, base: Float, positionScale: Float = 1, frequencyFactors: [Float]? = nil) {
        precondition(frequencyFactors.map { $0.count == dimensions / 2 } ?? true, "one frequency factor per pair")
        self.style = style
        self.dimensions = dimensions
        frequencyRatio = powf(base, -2 / Float(dimensions))
        self.positionScale = positionScale
        self.frequencyFactors = frequencyFactors
    }

    /// Fills `cosSin` (2 × dimensions/2 floats: cosines, then sines) for `position`.
    ///
    /// The angle of pair i is position · ratioⁱ (divided by factor i when there are frequency
    /// factors), built by repeated f32 multiplication as ggml does, so the rounding matches the
    /// reference implementation's.
    func angles(position: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let half = dimensions / 2
        var theta = Float(position)
        for pair in 0 ..< half {
            let scaled = positionScale * (frequencyFactors.map { theta / $0[pair] } ?? theta)
            cosSin[pair] = cosf(scaled)
            cosSin[half + pair] = sinf(scaled)
            theta *= frequencyRatio
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
