/// Rows of a stage's residual stream, `[rows][width]`, as they cross the wire between stages.
public struct HiddenStates: Sendable, Equatable {
    /// How the values travel: exactly (`f32`) or rounded to half precision (`f16`, half the bytes).
    public enum Encoding: UInt8, Sendable {
        case f32 = 0
        case f16 = 1
    }

    /// Number of rows.
    public let rows: Int
    /// Floats per row (the model's embedding width).
    public let width: Int
    /// The values, row-major.
    public var values: [Float] // [rows][width]
    /// How `values` are encoded on the wire.
    public var encoding: Encoding

    /// Hidden states of `rows` rows of `width` values.
    public init(rows: Int, width: Int, values: [Float], encoding: Encoding = .f32) {
        precondition(values.count == rows * width, "hidden states must hold rows × width values")
        self.rows = rows
        self.width = width
        self.values = values
        self.encoding = encoding
    }

    /// Copies `rows` rows of `width` values from `pointer`.
    public init(copying pointer: UnsafePointer<Float>, rows: Int, width: Int, encoding: Encoding) {
        self.init(rows: rows, width: width, values: Array(UnsafeBufferPointer(start: pointer, count: rows * width)),
                  encoding: encoding)
    }

    /// `u32 rows`, `u32 width`, `u8 encoding`, then `rows × width` values as f32 or f16.
    func write(into writer: inout WireWriter) {
        writer.integer(UInt32(rows))
        writer.integer(UInt32(width))
        writer.u8(encoding.rawValue)
        values.withUnsafeBufferPointer { buffer in
            switch encoding {
            case .f32: writer.rawFloats(buffer)
            case .f16: writer.rawHalves(buffer)
            }
        }
    }

    static func read(from reader: inout WireReader, limits: WireLimits) throws(WireError) -> HiddenStates {
        let rows = Int(try reader.integer(UInt32.self, "hidden.rows"))
        guard rows <= limits.maxRows else { throw .invalidField("hidden.rows", reason: "\(rows) exceeds \(limits.maxRows)") }
        let width = Int(try reader.integer(UInt32.self, "hidden.width"))
        guard width >= 1, width <= limits.maxWidth else {
            throw .invalidField("hidden.width", reason: "\(width) is not in 1...\(limits.maxWidth)")
        }
        let rawEncoding = try reader.u8("hidden.encoding")
        guard let encoding = Encoding(rawValue: rawEncoding) else {
            throw .invalidField("hidden.encoding", reason: "unknown encoding \(rawEncoding)")
        }
        let values = try reader.rawFloats(rows * width, halves: encoding == .f16, "hidden.values")
        return HiddenStates(rows: rows, width: width, values: values, encoding: encoding)
    }
}
