/// Paged key/value memory for the layers of one pipeline stage.
///
/// Memory is a pool of `blockCount` blocks of `blockSize` token slots, allocated once. Layers are
/// split into KV groups (`layout`); each sequence has one block table per group, mapping its
/// positions to blocks, and a block holds `layout.slotsPerBlock` layers of its group. The
/// attention reads K/V through the table of its layer's group. Slot `(block, layer slot, offset)`
/// holds `kvWidth` fp16 keys and as many fp16 values, as llama.cpp keeps them by default: half
/// the memory of f32, and the same numbers as the reference.
public final class KVCache: @unchecked Sendable {
    // Safety: the buffers are written only by a forward pass, which the engine runs one at a
    // time per cache; concurrent readers inside a forward pass touch disjoint rows.

    /// Number of blocks in the pool.
    public let blockCount: Int
    /// Token slots per block.
    public let blockSize: Int
    /// How the held layers share block tables.
    public let layout: KVCacheLayout
    /// Number of layers held (the stage's layer count).
    public var layerCount: Int { layout.layers.count }
    /// Floats per token per layer for keys (and for values): KV heads × head size.
    public let kvWidth: Int

    private let keys: UnsafeMutablePointer<UInt16>   // fp16 [block][layer slot][position in block][kvWidth]
    private let values: UnsafeMutablePointer<UInt16> // fp16 [block][layer slot][position in block][kvWidth]

    /// Allocates a pool of `blockCount` blocks of `blockSize` slots for the layers of `layout`.
    public init(blockCount: Int, blockSize: Int, layout: KVCacheLayout, kvWidth: Int) {
        precondition(blockCount > 0 && blockSize > 0 && kvWidth > 0)
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.layout = layout
        self.kvWidth = kvWidth
        let count = blockCount * layout.slotsPerBlock * blockSize * kvWidth
        keys = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes of memory one block takes holding `layerCount` layers, keys and values.
    public static func bytesPerBlock(blockSize: Int, layerCount: Int, kvWidth: Int) -> Int {
        2 * blockSize * layerCount * kvWidth * MemoryLayout<UInt16>.size
    }

    /// Total bytes held.
    public var byteCount: Int { blockCount * Self.bytesPerBlock(blockSize: blockSize, layerCount: layout.slotsPerBlock, kvWidth: kvWidth) }

    /// The key slot for `position` of a sequence whose table for stage-local `layer`'s group is `blockTable`.
    @inline(__always)
    func keySlot(layer: Int, blockTable: UnsafePointer<Int32>, position: Int) -> UnsafeMutablePointer<UInt16> {
        keys + slotOffset(layer: layer, blockTable: blockTable, position: position)
    }

    /// The value slot for `position` of a sequence whose table for stage-local `layer`'s group is `blockTable`.
    @inline(__always)
    func valueSlot(layer: Int, blockTable: UnsafePointer<Int32>, position: Int) -> UnsafeMutablePointer<UInt16> {
        values + slotOffset(layer: layer, blockTable: blockTable, position: position)
    }

    @inline(__always)
    private func slotOffset(layer: Int, blockTable: UnsafePointer<Int32>, position: Int) -> Int {
        let block = Int(blockTable[position / blockSize])
        let slot = (block * layout.slotsPerBlock + layout.slot(ofLayer: layer)) * blockSize + position % blockSize
        return slot * kvWidth
    }
}
