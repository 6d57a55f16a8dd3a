/// Root-mean-square layer normalisation: y = x / sqrt(mean(x²) + ε) · w.
enum RMSNorm {
    /// Normalises `count` floats of `x` into `y` (which may equal `x`), scaled by `weight`.
    @inline(__always)
    static func apply(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
        count: Int, into y: UnsafeMutablePointer<Float>
    ) {
        var sum: Double = 0
        for i in 0 ..< count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let scale = 1 / (mean + epsilon).squareRoot()
        for i in 0 ..< count { y[i] = x[i] * scale * weight[i] }
    }

    /// Normalises each of `rows` rows of `width` floats in place.
    static func applyRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
        weight: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0 ..< rows {
            let p = x + row * stride
            apply(p, weight: weight, epsilon: epsilon, count: width, into: p)
        }
    }
}
