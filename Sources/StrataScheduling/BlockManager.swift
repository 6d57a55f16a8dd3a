/// A fixed pool of KV blocks with reference counts, a free list and a prefix cache, shared by
/// one or more KV groups.
///
/// A KV group is a set of layers that share a block table (`groupWindows`, one entry per group):
/// every layer when the model has no sliding windows; otherwise, as vLLM's hybrid KV cache
/// manager does, equal-sized groups of full-attention layers and of sliding-window layers. Every
/// sequence has one table per group, all of the same length; every group takes its blocks from
/// the one pool, so memory moves freely between them. A sliding-window group releases the blocks
/// that fall wholly before a sequence's window (`releaseOutOfWindowBlocks`), leaving
/// `nullBlock` in their place.
///
/// A block's reference count is the number of sequence tables holding it. A full block whose KV
/// is computed is registered under its group and chained `BlockHash`; a new sequence reuses the
/// cached blocks of its longest cached prefix (confirmed against the real token ids). Released
/// cached blocks stay in the cache until the pool runs out of never-cached free blocks; then the
/// least recently released is evicted, in O(1) (a logical tick, not a clock, orders releases).
public struct BlockManager: Sendable {
    /// The table entry of a block a sliding-window group released.
    public static let nullBlock: Int32 = -1

    /// A cached block's identity: its group and the hash of the prefix it ends.
    struct CacheKey: Hashable, Sendable {
        let group: Int
        let hash: BlockHash
    }

    /// Number of blocks in the pool.
    public let blockCount: Int
    /// Token slots per block.
    public let blockSize: Int
    /// Per KV group: nil for full attention, else the sliding window in positions.
    public let groupWindows: [Int?]

    private var refCounts: [Int]
    private var keys: [CacheKey?]
    private var blockTokens: [[Int32]]     // token ids of each cached block, to confirm hits
    private var releaseTicks: [UInt64]     // logical time of each block's last release
    private var freeUncached: [Int32]      // free and not cached; taken from the end
    private var evictable: BlockLRUList    // free but cached, least recently released first
    var blockForKey: [CacheKey: Int32]     // internal so tests can forge a hash collision
    private var tick: UInt64 = 0

    /// Tokens taken from the prefix cache instead of being computed, since creation.
    public private(set) var cachedTokensReused = 0
    /// Cached blocks evicted to make room, since creation.
    public private(set) var evictionCount = 0
    /// Table entries given up because they fell wholly before a sliding window, since creation.
    public internal(set) var windowReleaseCount = 0

    /// Creates a pool of `blockCount` empty blocks of `blockSize` slots for KV groups with
    /// `groupWindows` (default: one full-attention group).
    public init(blockCount: Int, blockSize: Int, groupWindows: [Int?] = [nil]) {
        precondition(blockCount > 0 && blockSize > 0 && blockCount <= Int(Int32.max) && !groupWindows.isEmpty)
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.groupWindows = groupWindows
        refCounts = Array(repeating: 0, count: blockCount)
        keys = Array(repeating: nil, count: blockCount)
        blockTokens = Array(repeating: [], count: blockCount)
        releaseTicks = Array(repeating: 0, count: blockCount)
        freeUncached = (0 ..< Int32(blockCount)).reversed()
        evictable = BlockLRUList(capacity: blockCount)
        blockForKey = [:]
    }

    /// Number of KV groups.
    public var groupCount: Int { groupWindows.count }
    /// Blocks that can be handed out: never cached, or cached but owned by no sequence.
    public var freeBlockCount: Int { freeUncached.count + evictable.count }
    /// Blocks owned by at least one sequence.
    public var usedBlockCount: Int { blockCount - freeBlockCount }
    /// Blocks registered in the prefix cache, owned or not.
    public var cachedBlockCount: Int { blockForKey.count }

    /// Number of sequence tables holding `block`.
    public func refCount(of block: Int32) -> Int { refCounts[Int(block)] }

    /// Blocks needed to hold `tokenCount` tokens in one group.
    public func blocksNeeded(for tokenCount: Int) -> Int { (tokenCount + blockSize - 1) / blockSize }

    // MARK: Prefix cache

    /// `sequence`'s longest prefix that every group can take from the cache: full-attention
    /// groups need all its blocks, sliding-window groups the blocks the first computed position
    /// still attends to. At least the last token is always left to compute, for its logits.
    public func cachedPrefix(of sequence: SequenceState) -> CachedPrefix {
        let tokens = sequence.allTokens
        let maxBlocks = (tokens.count - 1) / blockSize
        var found = Array(repeating: [Int32](), count: groupCount)   // per group, per block: hit or null
        var chain: [BlockHash] = []
        scan: for b in 0 ..< maxBlocks {
            let slice = tokens[b * blockSize ..< (b + 1) * blockSize]
            let hash = BlockHash(previous: chain.last, tokens: slice)
            var hits: [Int32] = []
            for group in 0 ..< groupCount {
                let hit = lookup(CacheKey(group: group, hash: hash), tokens: slice)
                if hit == nil, groupWindows[group] == nil { break scan }   // a full group's prefix ends
                hits.append(hit ?? Self.nullBlock)
            }
            for group in 0 ..< groupCount { found[group].append(hits[group]) }
            chain.append(hash)
        }
        // The longest length k every sliding group can serve: its blocks [firstLive(k), k) all hit.
        var lastMiss = Array(repeating: -1, count: groupCount)   // per group: last missing block seen
        var missBefore = Array(repeating: [Int](), count: groupCount)
        for group in 0 ..< groupCount where groupWindows[group] != nil {
            missBefore[group].reserveCapacity(chain.count)
            for b in 0 ..< chain.count {
                if found[group][b] == Self.nullBlock { lastMiss[group] = b }
                missBefore[group].append(lastMiss[group])   // last miss at or before b
            }
        }
        var length = chain.count
        while length > 0 {
            let served = (0 ..< groupCount).allSatisfy { group in
                guard groupWindows[group] != nil else { return true }
                return missBefore[group][length - 1] < firstLiveBlock(group: group, computedTokens: length * blockSize)
            }
            if served { break }
            length -= 1
        }
        let tables = (0 ..< groupCount).map { group -> [Int32] in
            let first = firstLiveBlock(group: group, computedTokens: length * blockSize)
            return (0 ..< length).map { $0 < first ? Self.nullBlock : found[group][$0] }
        }
        return CachedPrefix(blockCount: length, tables: tables, hashes: Array(chain.prefix(length)))
    }

    /// The cached block under `key`, if its token ids are `tokens`.
    private func lookup(_ key: CacheKey, tokens: ArraySlice<Int32>) -> Int32? {
        guard let block = blockForKey[key], blockTokens[Int(block)].elementsEqual(tokens) else { return nil }
        return block
    }

    // MARK: Allocate (a sequence holding no blocks)

    /// Whether `sequence`, holding no blocks, can take its cached prefix plus blocks for
    /// `tokenCount` more tokens after it, in every group.
    public func canAllocate(_ sequence: SequenceState, tokens tokenCount: Int) -> Bool {
        precondition(sequence.blockTables.isEmpty, "sequence \(sequence.id) already holds blocks")
        let prefix = cachedPrefix(of: sequence)
        let reusedFree = prefix.heldBlocks.count(where: { refCounts[Int($0)] == 0 })
        let fresh = groupCount * (blocksNeeded(for: prefix.blockCount * blockSize + tokenCount) - prefix.blockCount)
        return fresh <= freeBlockCount - reusedFree
    }

    /// Gives `sequence` its cached prefix (marking those tokens computed) and blocks for
    /// `tokenCount` more tokens. Requires `canAllocate(sequence, tokens: tokenCount)`.
    public mutating func allocate(_ sequence: inout SequenceState, tokens tokenCount: Int) {
        precondition(canAllocate(sequence, tokens: tokenCount))
        let prefix = cachedPrefix(of: sequence)
        for block in prefix.heldBlocks {
            if refCounts[Int(block)] == 0 { evictable.remove(block) }
            refCounts[Int(block)] += 1
        }
        let reused = prefix.blockCount * blockSize
        sequence.blockTables = prefix.tables
        sequence.blockHashes = prefix.hashes
        sequence.computedTokenCount = reused
        sequence.cachedTokenCount = reused
        cachedTokensReused += reused
        appendSlot(&sequence, tokens: tokenCount)
    }

    // MARK: Append (a sequence growing)

    /// Fresh blocks `sequence`'s tables need to hold `tokenCount` more tokens after its computed ones.
    private func freshBlocks(_ sequence: SequenceState, tokens tokenCount: Int) -> Int {
        let length = sequence.blockTables.first?.count ?? 0
        return groupCount * max(0, blocksNeeded(for: sequence.computedTokenCount + tokenCount) - length)
    }

    /// Whether `sequence`'s block tables can grow to hold `tokenCount` more tokens after its
    /// computed ones.
    public func canAppend(_ sequence: SequenceState, tokens tokenCount: Int = 1) -> Bool {
        freshBlocks(sequence, tokens: tokenCount) <= freeBlockCount
    }

    /// Grows `sequence`'s block tables to hold `tokenCount` more tokens after its computed ones.
    /// Requires `canAppend(sequence, tokens: tokenCount)`.
    public mutating func appendSlot(_ sequence: inout SequenceState, tokens tokenCount: Int = 1) {
        precondition(canAppend(sequence, tokens: tokenCount))
        let needed = blocksNeeded(for: sequence.computedTokenCount + tokenCount)
        if sequence.blockTables.isEmpty { sequence.blockTables = Array(repeating: [], count: groupCount) }
        for group in 0 ..< groupCount {
            while sequence.blockTables[group].count < needed {
                sequence.blockTables[group].append(takeFreeBlock())
            }
        }
    }

    /// Registers in the prefix cache the blocks of `sequence` that its computed tokens now fill.
    ///
    /// A block whose content is already cached in another block of its group stays uncached.
    public mutating func registerFullBlocks(_ sequence: inout SequenceState) {
        let fullBlocks = sequence.computedTokenCount / blockSize
        guard sequence.blockHashes.count < fullBlocks else { return }
        let tokens = sequence.allTokens
        for b in sequence.blockHashes.count ..< fullBlocks {
            let slice = tokens[b * blockSize ..< (b + 1) * blockSize]
            let hash = BlockHash(previous: sequence.blockHashes.last, tokens: slice)
            sequence.blockHashes.append(hash)
            for group in 0 ..< groupCount {
                let block = sequence.blockTables[group][b]
                let key = CacheKey(group: group, hash: hash)
                if block != Self.nullBlock, keys[Int(block)] == nil, blockForKey[key] == nil {
                    keys[Int(block)] = key
                    blockTokens[Int(block)] = Array(slice)
                    blockForKey[key] = block
                }
            }
        }
    }

    // MARK: Free

    /// Releases `sequence`'s blocks (last block first, so tails are evicted before shared
    /// prefixes) and marks none of its tokens computed.
    public mutating func free(_ sequence: inout SequenceState) {
        let length = sequence.blockTables.first?.count ?? 0
        for b in (0 ..< length).reversed() {
            for table in sequence.blockTables where table[b] != Self.nullBlock {
                release(table[b])
            }
        }
        sequence.blockTables = []
        sequence.blockHashes = []
        sequence.computedTokenCount = 0
    }

    /// Drops one owner of `block`; an unowned block becomes free (evictable if cached).
    mutating func release(_ block: Int32) {
        let index = Int(block)
        precondition(refCounts[index] > 0, "block \(block) released more often than taken")
        refCounts[index] -= 1
        guard refCounts[index] == 0 else { return }
        tick += 1
        releaseTicks[index] = tick
        if keys[index] != nil {
            evictable.append(block)
        } else {
            freeUncached.append(block)
        }
    }

    /// A free block with reference count 1: a never-cached one if any, else the least recently
    /// released cached one, which leaves the cache.
    private mutating func takeFreeBlock() -> Int32 {
        let block: Int32
        if let uncached = freeUncached.popLast() {
            block = uncached
        } else {
            guard let oldest = evictable.removeFirst() else { preconditionFailure("no free block") }
            if let key = keys[Int(oldest)] { blockForKey[key] = nil }
            keys[Int(oldest)] = nil
            blockTokens[Int(oldest)] = []
            evictionCount += 1
            block = oldest
        }
        refCounts[Int(block)] = 1
        return block
    }
}

extension BlockManager {
    /// Every broken invariant given the block tables of all owning sequences, every group's
    /// (empty when sound): reference counts equal owners, each block is in exactly one of owned /
    /// free / cached-free, no table holds a block twice, and the cache map agrees with the blocks.
    func consistencyViolations(tables: [[Int32]]) -> [String] {
        var problems: [String] = []
        var owners = Array(repeating: 0, count: blockCount)
        for table in tables {
            let held = table.filter { $0 != Self.nullBlock }
            if Set(held).count != held.count { problems.append("a table holds a block twice: \(table)") }
            for block in held { owners[Int(block)] += 1 }
        }
        let freeSet = Set(freeUncached)
        if freeSet.count != freeUncached.count { problems.append("free list holds a block twice") }
        for block in 0 ..< blockCount {
            let id = Int32(block)
            if refCounts[block] != owners[block] {
                problems.append("block \(block): ref count \(refCounts[block]), owners \(owners[block])")
            }
            let places = (refCounts[block] > 0 ? 1 : 0) + (freeSet.contains(id) ? 1 : 0) + (evictable.contains(id) ? 1 : 0)
            if places != 1 { problems.append("block \(block) is in \(places) of owned/free/evictable") }
            if evictable.contains(id), keys[block] == nil { problems.append("uncached block \(block) evictable") }
            if freeSet.contains(id), keys[block] != nil { problems.append("cached block \(block) on free list") }
            if let key = keys[block], blockForKey[key] != id { problems.append("block \(block) key unmapped") }
        }
        let lru = evictable.elements
        if lru.count != evictable.count { problems.append("LRU list length \(lru.count), count \(evictable.count)") }
        for (older, newer) in zip(lru, lru.dropFirst()) where releaseTicks[Int(older)] >= releaseTicks[Int(newer)] {
            problems.append("LRU list out of release order at blocks \(older), \(newer)")
        }
        for (key, block) in blockForKey where keys[Int(block)] != key {
            problems.append("key \(key) maps to block \(block) holding another key")
        }
        return problems
    }
}
