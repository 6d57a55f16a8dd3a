/// Small f32 vector operations used between the matrix products.
enum VectorOps {
    /// y[i] += x[i].
    @inline(__always)
    static func add(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int) {
        for i in 0 ..< count { y[i] += x[i] }
    }

    /// x[i] *= alpha.
    @inline(__always)
    static func scale(_ x: UnsafeMutablePointer<Float>, _ alpha: Float, _ count: Int) {
        for i in 0 ..< count { x[i] *= alpha }
    }
}

extension VectorOps {
    /// Adds `bias` (`width` floats) to each of `rows` rows of `width` floats at `x`.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        for row in 0 ..< rows { add(x + row * width, bias, width) }
    }
}
