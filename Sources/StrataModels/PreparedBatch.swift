/// A `ForwardBatch` laid out for the forward pass: block tables flattened into one buffer so
/// parallel workers can read them through stable pointers. Owned and reused by a `ForwardState`.
final class PreparedBatch: @unchecked Sendable {
    // Safety: filled before a forward pass, only read during it.
    private(set) var count = 0
    private var positions: [Int] = []
    private var tableStarts: [Int] = []  // per row, per group: offset into `tables`
    private var sequenceStarts: [Int] = []  // per sequence, per group: offset into `tables`
    private(set) var groupCount = 1
    private var tables: UnsafeMutablePointer<Int32>
    private var tableCapacity: Int
    private(set) var tokens: [Int32] = []

    init(maxRows: Int) {
        tableCapacity = 1024
        tables = .allocate(capacity: tableCapacity)
        positions.reserveCapacity(maxRows)
        tableStarts.reserveCapacity(maxRows)
        tokens.reserveCapacity(maxRows)
    }

    deinit { tables.deallocate() }

    /// Copies `batch` in, reusing storage.
    func load(_ batch: ForwardBatch) {
        count = batch.count
        groupCount = batch.groupCount
        tokens.removeAll(keepingCapacity: true)
        tokens.append(contentsOf: batch.tokens)
        positions.removeAll(keepingCapacity: true)
        tableStarts.removeAll(keepingCapacity: true)
        let needed = batch.blockTables.reduce(0) { $0 + $1.count }
        if needed > tableCapacity {
            tables.deallocate()
            tableCapacity = max(needed, tableCapacity * 2)
            tables = .allocate(capacity: tableCapacity)
        }
        sequenceStarts.removeAll(keepingCapacity: true)
        var offset = 0
        for table in batch.blockTables {
            sequenceStarts.append(offset)
            for (index, block) in table.enumerated() { tables[offset + index] = block }
            offset += table.count
        }
        for row in 0 ..< batch.count {
            positions.append(Int(batch.positions[row]))
            let sequence = Int(batch.sequenceIndices[row])
            for group in 0 ..< groupCount { tableStarts.append(sequenceStarts[sequence * groupCount + group]) }
        }
    }

    @inline(__always) func position(row: Int) -> Int { positions[row] }
    /// Row `row`'s block table for KV group `group`.
    @inline(__always) func blockTable(row: Int, group: Int) -> UnsafePointer<Int32> {
        UnsafePointer(tables + tableStarts[row * groupCount + group])
    }
}
