/// Cached-but-free blocks in release order, least recently released first: an intrusive doubly
/// linked list over block ids, so release, reuse and eviction are all O(1).
struct BlockLRUList: Sendable {
    private static let none: Int32 = -1
    private var previous: [Int32]
    private var next: [Int32]
    private var member: [Bool]
    private var head = BlockLRUList.none   // least recently released
    private var tail = BlockLRUList.none   // most recently released

    /// Number of blocks in the list.
    private(set) var count = 0

    /// An empty list over blocks `0 ..< capacity`.
    init(capacity: Int) {
        previous = Array(repeating: Self.none, count: capacity)
        next = Array(repeating: Self.none, count: capacity)
        member = Array(repeating: false, count: capacity)
    }

    /// Whether `block` is in the list.
    func contains(_ block: Int32) -> Bool { member[Int(block)] }

    /// Adds `block` as the most recently released.
    mutating func append(_ block: Int32) {
        precondition(!member[Int(block)])
        member[Int(block)] = true
        previous[Int(block)] = tail
        next[Int(block)] = Self.none
        if tail == Self.none { head = block } else { next[Int(tail)] = block }
        tail = block
        count += 1
    }

    /// Takes `block` out of the list.
    mutating func remove(_ block: Int32) {
        precondition(member[Int(block)])
        let before = previous[Int(block)], after = next[Int(block)]
        if before == Self.none { head = after } else { next[Int(before)] = after }
        if after == Self.none { tail = before } else { previous[Int(after)] = before }
        member[Int(block)] = false
        count -= 1
    }

    /// Removes and returns the least recently released block.
    mutating func removeFirst() -> Int32? {
        guard head != Self.none else { return nil }
        let block = head
        remove(block)
        return block
    }

    /// The blocks, least recently released first.
    var elements: [Int32] {
        var result: [Int32] = [], block = head
        while block != Self.none {
            result.append(block)
            block = next[Int(block)]
        }
        return result
    }
}
