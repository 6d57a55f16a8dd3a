extension Duration {
    /// The duration in seconds, as a floating-point number (for timings and rates).
    public var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
