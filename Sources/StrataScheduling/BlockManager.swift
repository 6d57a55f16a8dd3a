/// A fixed pool of KV blocks with reference counts, a free list and a prefix cache.
///
/// A block's reference count is the number of sequences whose block table holds it. A full block
/// whose KV is computed is registered under its chained `BlockHash`; a new sequence reuses the
/// cached blocks of its longest cached prefix (confirmed against the real token ids). Released
/// cached blocks stay in the cache until the pool runs out of never-cached free blocks; then the
/// least recently released is evicted, in O(1) (a logical tick, not a clock, orders releases).
public struct BlockManager: Sendable {
    /// Number of blocks in the pool.
    public let blockCount: Int
    /// Token slots per block.
    public let blockSize: Int

    private var refCounts: [Int]
    private var hashes: [BlockHash?]
    private var blockTokens: [[Int32]]     // token ids of each cached block, to confirm hits
    private var releaseTicks: [UInt64]     // logical time of each block's last release
    private var freeUncached: [Int32]      // free and not cached; taken from the end
    private var evictable: BlockLRUList    // free but cached, least recently released first
    var blockForHash: [BlockHash: Int32]  // internal so tests can forge a hash collision
    private var tick: UInt64 = 0

    /// Tokens taken from the prefix cache instead of being computed, since creation.
    public private(set) var cachedTokensReused = 0
    /// Cached blocks evicted to make room, since creation.
    public private(set) var evictionCount = 0

    /// Creates a pool of `blockCount` empty blocks of `blockSize` slots.
    public init(blockCount: Int, blockSize: Int) {
        precondition(blockCount > 0 && blockSize > 0 && blockCount <= Int(Int32.max))
        self.blockCount = blockCount
        self.blockSize = blockSize
        refCounts = Array(repeating: 0, count: blockCount)
        hashes = Array(repeating: nil, count: blockCount)
        blockTokens = Array(repeating: [], count: blockCount)
        releaseTicks = Array(repeating: 0, count: blockCount)
        freeUncached = (0 ..< Int32(blockCount)).reversed()
        evictable = BlockLRUList(capacity: blockCount)
        blockForHash = [:]
    }

    /// Blocks that can be handed out: never cached, or cached but owned by no sequence.
    public var freeBlockCount: Int { freeUncached.count + evictable.count }
    /// Blocks owned by at least one sequence.
    public var usedBlockCount: Int { blockCount - freeBlockCount }
    /// Blocks registered in the prefix cache, owned or not.
    public var cachedBlockCount: Int { blockForHash.count }

    /// Number of sequences owning `block`.
    public func refCount(of block: Int32) -> Int { refCounts[Int(block)] }

    /// Blocks needed to hold `tokenCount` tokens.
    public func blocksNeeded(for tokenCount: Int) -> Int { (tokenCount + blockSize - 1) / blockSize }

    // MARK: Prefix cache

    /// The cached blocks of `sequence`'s longest cached prefix, with their hashes.
    ///
    /// At least the last token is always left to compute, so the model produces its logits.
    public func cachedPrefix(of sequence: SequenceState) -> (blocks: [Int32], hashes: [BlockHash]) {
        let tokens = sequence.allTokens
        let maxBlocks = (tokens.count - 1) / blockSize
        var blocks: [Int32] = [], chain: [BlockHash] = []
        for b in 0 ..< maxBlocks {
            let slice = tokens[b * blockSize ..< (b + 1) * blockSize]
            let hash = BlockHash(previous: chain.last, tokens: slice)
            guard let block = blockForHash[hash], blockTokens[Int(block)].elementsEqual(slice) else { break }
            blocks.append(block)
            chain.append(hash)
        }
        return (blocks, chain)
    }

    // MARK: Allocate (a sequence holding no blocks)

    /// Whether `sequence`, holding no blocks, can take its cached prefix plus blocks for
    /// `tokenCount` more tokens after it.
    public func canAllocate(_ sequence: SequenceState, tokens tokenCount: Int) -> Bool {
        precondition(sequence.blockTable.isEmpty, "sequence \(sequence.id) already holds blocks")
        let prefix = cachedPrefix(of: sequence)
        let reusedFree = prefix.blocks.count(where: { refCounts[Int($0)] == 0 })
        let fresh = blocksNeeded(for: prefix.blocks.count * blockSize + tokenCount) - prefix.blocks.count
        return fresh <= freeBlockCount - reusedFree
    }

    /// Gives `sequence` its cached prefix (marking those tokens computed) and blocks for
    /// `tokenCount` more tokens. Requires `canAllocate(sequence, tokens: tokenCount)`.
    public mutating func allocate(_ sequence: inout SequenceState, tokens tokenCount: Int) {
        precondition(canAllocate(sequence, tokens: tokenCount))
        let prefix = cachedPrefix(of: sequence)
        for block in prefix.blocks {
            if refCounts[Int(block)] == 0 { evictable.remove(block) }
            refCounts[Int(block)] += 1
        }
        let reused = prefix.blocks.count * blockSize
        sequence.blockTable = prefix.blocks
        sequence.blockHashes = prefix.hashes
        sequence.computedTokenCount = reused
        sequence.cachedTokenCount = reused
        cachedTokensReused += reused
        appendSlot(&sequence, tokens: tokenCount)
    }

    // MARK: Append (a sequence growing)

    /// Whether `sequence`'s block table can grow to hold `tokenCount` more tokens after its
    /// computed ones.
    public func canAppend(_ sequence: SequenceState, tokens tokenCount: Int = 1) -> Bool {
        blocksNeeded(for: sequence.computedTokenCount + tokenCount) - sequence.blockTable.count <= freeBlockCount
    }

    /// Grows `sequence`'s block table to hold `tokenCount` more tokens after its computed ones.
    /// Requires `canAppend(sequence, tokens: tokenCount)`.
    public mutating func appendSlot(_ sequence: inout SequenceState, tokens tokenCount: Int = 1) {
        precondition(canAppend(sequence, tokens: tokenCount))
        let needed = blocksNeeded(for: sequence.computedTokenCount + tokenCount)
        while sequence.blockTable.count < needed {
            sequence.blockTable.append(takeFreeBlock())
        }
    }

    /// Registers in the prefix cache the blocks of `sequence` that its computed tokens now fill.
    ///
    /// A block whose content is already cached in another block stays uncached.
    public mutating func registerFullBlocks(_ sequence: inout SequenceState) {
        let fullBlocks = sequence.computedTokenCount / blockSize
        guard sequence.blockHashes.count < fullBlocks else { return }
        let tokens = sequence.allTokens
        for b in sequence.blockHashes.count ..< fullBlocks {
            let slice = tokens[b * blockSize ..< (b + 1) * blockSize]
            let hash = BlockHash(previous: sequence.blockHashes.last, tokens: slice)
            sequence.blockHashes.append(hash)
            let block = sequence.blockTable[b]
            if hashes[Int(block)] == nil, blockForHash[hash] == nil {
                hashes[Int(block)] = hash
                blockTokens[Int(block)] = Array(slice)
                blockForHash[hash] = block
            }
        }
    }

    // MARK: Free

    /// Releases `sequence`'s blocks (last block first, so tails are evicted before shared
    /// prefixes) and marks none of its tokens computed.
    public mutating func free(_ sequence: inout SequenceState) {
        for block in sequence.blockTable.reversed() {
            let index = Int(block)
            precondition(refCounts[index] > 0, "block \(block) released more often than taken")
            refCounts[index] -= 1
            guard refCounts[index] == 0 else { continue }
            tick += 1
            releaseTicks[index] = tick
            if hashes[index] != nil {
                evictable.append(block)
            } else {
                freeUncached.append(block)
            }
        }
        sequence.blockTable = []
        sequence.blockHashes = []
        sequence.computedTokenCount = 0
    }

    /// A free block with reference count 1: a never-cached one if any, else the least recently
    /// released cached one, which leaves the cache.
    private mutating func takeFreeBlock() -> Int32 {
        let block: Int32
        if let uncached = freeUncached.popLast() {
            block = uncached
        } else {
            guard let oldest = evictable.removeFirst() else { preconditionFailure("no free block") }
            if let hash = hashes[Int(oldest)] { blockForHash[hash] = nil }
            hashes[Int(oldest)] = nil
            blockTokens[Int(oldest)] = []
            evictionCount += 1
            block = oldest
        }
        refCounts[Int(block)] = 1
        return block
    }
}

extension BlockManager {
    /// Every broken invariant given the block tables of all owning sequences (empty when sound):
    /// reference counts equal owners, each block is in exactly one of owned / free / cached-free,
    /// no table holds a block twice, and the cache map agrees with the blocks.
    func consistencyViolations(tables: [[Int32]]) -> [String] {
        var problems: [String] = []
        var owners = Array(repeating: 0, count: blockCount)
        for table in tables {
            if Set(table).count != table.count { problems.append("a table holds a block twice: \(table)") }
            for block in table { owners[Int(block)] += 1 }
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
            if evictable.contains(id), hashes[block] == nil { problems.append("uncached block \(block) evictable") }
            if freeSet.contains(id), hashes[block] != nil { problems.append("cached block \(block) on free list") }
            if let hash = hashes[block], blockForHash[hash] != id { problems.append("block \(block) hash unmapped") }
        }
        let lru = evictable.elements
        if lru.count != evictable.count { problems.append("LRU list length \(lru.count), count \(evictable.count)") }
        for (older, newer) in zip(lru, lru.dropFirst()) where releaseTicks[Int(older)] >= releaseTicks[Int(newer)] {
            problems.append("LRU list out of release order at blocks \(older), \(newer)")
        }
        for (hash, block) in blockForHash where hashes[Int(block)] != hash {
            problems.append("hash \(hash) maps to block \(block) holding another hash")
        }
        return problems
    }
}
