import StrataScheduling

extension StepRequest {
    /// The frame: header (kind 1), step id u64, row count u32, output encoding u8 (0 f32, 1 f16), input flag u8 (0 tokens, 1 hidden),
    /// then the tokens (i32 × rows) or hidden states, positions (i32 × rows), sequence indices
    /// (i32 × rows), block tables (u32 count, each a u32 count and i32 ids), samples (u32 count,
    /// each u32 row and u64 sequence id), new sequences (u32 count, each u64 id and a sampler
    /// configuration) and removed sequences (u32 count, u64 ids).
    public func encoded() -> [UInt8] {
        var writer = WireWriter(capacity: 64 + rowCount * 12 + hiddenBytes)
        FrameHeader.write(.stepRequest, into: &writer)
        writer.integer(stepID)
        writer.integer(UInt32(rowCount))
        writer.u8(outputEncoding.rawValue)
        switch input {
        case let .tokens(tokens):
            writer.u8(0)
            writer.rawInt32s(tokens)
        case let .hidden(hidden):
            writer.u8(1)
            hidden.write(into: &writer)
        }
        writer.rawInt32s(positions)
        writer.rawInt32s(sequenceIndices)
        writer.integer(UInt32(blockTables.count))
        for table in blockTables { writer.int32Array(table) }
        writer.integer(UInt32(samples.count))
        for sample in samples {
            writer.integer(UInt32(sample.row))
            writer.integer(UInt64(bitPattern: Int64(sample.sequenceID)))
        }
        writer.integer(UInt32(newSequences.count))
        for sequence in newSequences {
            writer.integer(UInt64(bitPattern: Int64(sequence.id)))
            sequence.sampling.write(into: &writer)
        }
        writer.integer(UInt32(removedSequences.count))
        for id in removedSequences { writer.integer(UInt64(bitPattern: Int64(id))) }
        return writer.bytes
    }

    private var hiddenBytes: Int {
        guard case let .hidden(hidden) = input else { return 0 }
        return hidden.values.count * (hidden.encoding == .f16 ? 2 : 4)
    }

    /// Decodes and validates a step request frame: every count is bounded by `limits` and by the
    /// bytes present, row arrays agree in length, sequence indices point into the block tables,
    /// sample rows are rows of the batch.
    public init(decoding bytes: [UInt8], limits: WireLimits = WireLimits()) throws(WireError) {
        var reader = WireReader(bytes)
        try FrameHeader.read(.stepRequest, from: &reader)
        let stepID = try reader.integer(UInt64.self, "stepID")
        let rows = Int(try reader.integer(UInt32.self, "rowCount"))
        guard rows >= 1, rows <= limits.maxRows else { throw .invalidField("rowCount", reason: "\(rows) is not in 1...\(limits.maxRows)") }
        let rawEncoding = try reader.u8("outputEncoding")
        guard let outputEncoding = HiddenStates.Encoding(rawValue: rawEncoding) else {
            throw .invalidField("outputEncoding", reason: "unknown encoding \(rawEncoding)")
        }
        let input: Input
        switch try reader.u8("inputKind") {
        case 0: input = .tokens(try reader.rawInt32s(rows, "tokens"))
        case 1:
            let hidden = try HiddenStates.read(from: &reader, limits: limits)
            guard hidden.rows == rows else { throw .invalidField("hidden.rows", reason: "\(hidden.rows) rows in a step of \(rows)") }
            input = .hidden(hidden)
        case let other: throw .invalidField("inputKind", reason: "unknown input kind \(other)")
        }
        let positions = try reader.rawInt32s(rows, "positions")
        let indices = try reader.rawInt32s(rows, "sequenceIndices")
        let tableCount = try reader.count("blockTables", limit: limits.maxSequences, elementSize: 4)
        var tables: [[Int32]] = []
        tables.reserveCapacity(tableCount)
        for _ in 0 ..< tableCount { tables.append(try reader.int32Array("blockTable", limit: limits.maxBlocksPerSequence)) }
        guard positions.allSatisfy({ $0 >= 0 }) else { throw .invalidField("positions", reason: "a position is negative") }
        guard indices.allSatisfy({ $0 >= 0 && Int($0) < tableCount }) else {
            throw .invalidField("sequenceIndices", reason: "an index is outside the \(tableCount) block tables")
        }
        let sampleCount = try reader.count("samples", limit: limits.maxSequences, elementSize: 12)
        var samples: [Sample] = []
        for _ in 0 ..< sampleCount {
            let row = Int(try reader.integer(UInt32.self, "sample.row"))
            guard row < rows else { throw .invalidField("sample.row", reason: "row \(row) of a step of \(rows)") }
            samples.append(Sample(row: row, sequenceID: try Self.readID(&reader, "sample.sequenceID")))
        }
        let newCount = try reader.count("newSequences", limit: limits.maxSequences, elementSize: 8)
        var newSequences: [NewSequence] = []
        for _ in 0 ..< newCount {
            let id = try Self.readID(&reader, "newSequence.id")
            newSequences.append(NewSequence(id: id, sampling: try .read(from: &reader, limits: limits)))
        }
        let removedCount = try reader.count("removedSequences", limit: limits.maxSequences, elementSize: 8)
        var removed: [SequenceID] = []
        for _ in 0 ..< removedCount { removed.append(try Self.readID(&reader, "removedSequence")) }
        try reader.finish()
        self.init(stepID: stepID, input: input, positions: positions, sequenceIndices: indices, blockTables: tables,
                  samples: samples, newSequences: newSequences, removedSequences: removed,
                  outputEncoding: outputEncoding)
    }

    private static func readID(_ reader: inout WireReader, _ field: String) throws(WireError) -> SequenceID {
        let raw = Int64(bitPattern: try reader.integer(UInt64.self, field))
        guard raw >= 0 else { throw .invalidField(field, reason: "negative sequence id") }
        return SequenceID(raw)
    }
}
