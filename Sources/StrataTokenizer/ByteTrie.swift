/// A byte trie whose edges live in one open-addressing hash table, for walking text fast.
///
/// Nodes are numbered from 0 (the root); each may carry a value (-1 for none).
struct ByteTrie: Sendable {
    /// Edge keys `node << 8 | byte`, or `emptyKey`. The count is a power of two.
    private let keys: [UInt32]
    /// Child node of the edge in the same slot.
    private let children: [Int32]
    /// The value stored at each node, or -1.
    private let values: [Int32]
    /// Whether some key starts with this byte.
    private let isFirstByte: [Bool]

    private static let emptyKey = UInt32.max
    /// Node ids must fit in the 24 high bits of an edge key.
    static let maxNodes = 1 << 24 - 1

    /// A trie of `entries`; an entry that would overflow `maxNodes` nodes is left out, and a
    /// later entry with the same bytes replaces an earlier one's value.
    init(_ entries: [(key: ArraySlice<UInt8>, value: Int32)]) {
        var edges: [UInt32: Int32] = [:]
        var values: [Int32] = [-1]
        var isFirstByte = [Bool](repeating: false, count: 256)
        for (key, value) in entries {
            guard let first = key.first, values.count + key.count <= Self.maxNodes else { continue }
            isFirstByte[Int(first)] = true
            var node: Int32 = 0
            for byte in key {
                let edge = UInt32(node) << 8 | UInt32(byte)
                if let child = edges[edge] {
                    node = child
                } else {
                    node = Int32(values.count)
                    values.append(-1)
                    edges[edge] = node
                }
            }
            values[Int(node)] = value
        }

        var capacity = 16
        while capacity < edges.count * 2 { capacity <<= 1 }
        var keys = [UInt32](repeating: Self.emptyKey, count: capacity)
        var children = [Int32](repeating: -1, count: capacity)
        for (edge, child) in edges {
            var slot = Self.slot(edge, mask: capacity - 1)
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = edge
            children[slot] = child
        }
        self.keys = keys
        self.children = children
        self.values = values
        self.isFirstByte = isFirstByte
    }

    /// Whether some key starts with `byte`.
    @inline(__always)
    func startsKey(_ byte: UInt8) -> Bool {
        isFirstByte[Int(byte)]
    }

    /// The node reached from `node` by `byte`, if any.
    @inline(__always)
    func child(of node: Int32, _ byte: UInt8) -> Int32? {
        let edge = UInt32(node) << 8 | UInt32(byte)
        let mask = keys.count - 1
        var slot = Self.slot(edge, mask: mask)
        while true {
            let key = keys[slot]
            if key == edge { return children[slot] }
            if key == Self.emptyKey { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// The value at `node`, or -1.
    @inline(__always)
    func value(at node: Int32) -> Int32 {
        values[Int(node)]
    }

    @inline(__always)
    private static func slot(_ edge: UInt32, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(edge) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}
