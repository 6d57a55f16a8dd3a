/// How a stage's layers share KV block tables.
///
/// Layers are split into KV groups; each group has one block table per sequence, and a block of
/// the pool holds `slotsPerBlock` layers' keys and values for `blockSize` positions. With one
/// group (`single`), every layer reads one table, as for models without sliding windows.
/// `byWindow` groups layers as vLLM's hybrid KV cache manager does: layers with the same
/// attention window are cut, in order, into groups of equal size (the greatest common divisor
/// of the per-window layer counts), so every group's block takes the same bytes and all groups
/// share one pool. For Gemma 3 270M (3 global and 15 sliding layers) that is 6 groups of 3.
public struct KVCacheLayout: Sendable, Equatable {
    /// Per group: nil for full attention, else the sliding window in positions.
    public let groupWindows: [Int?]
    /// Layer slots in one block: the most held layers of any group.
    public let slotsPerBlock: Int
    /// The layers held.
    public let layers: LayerRange
    private let groupOfLayer: [Int]   // per held layer (stage-local index)
    private let slotOfLayer: [Int]    // per held layer: its slot in its group's blocks

    /// Number of groups.
    public var groupCount: Int { groupWindows.count }

    /// One group holding every layer of `layers`; nothing is ever released.
    public static func single(layers: LayerRange) -> KVCacheLayout {
        KVCacheLayout(groupWindows: [nil], layers: layers, groupOfLayer: Array(repeating: 0, count: layers.count),
                      slotOfLayer: Array(0 ..< layers.count))
    }

    /// Groups of layers with equal windows, `layerWindows` giving every model layer's window (nil:
    /// full attention); a stage holding `layers` keeps slots for its own layers only.
    public static func byWindow(layerWindows: [Int?], layers: LayerRange) -> KVCacheLayout {
        precondition(layerWindows.count == layers.layerCount, "one window per model layer")
        var classes: [(window: Int?, layers: [Int])] = []
        for (layer, window) in layerWindows.enumerated() {
            if let index = classes.firstIndex(where: { $0.window == window }) {
                classes[index].layers.append(layer)
            } else {
                classes.append((window, [layer]))
            }
        }
        let size = classes.map(\.layers.count).reduce(0, gcd)
        var members: [(window: Int?, layers: [Int])] = []
        for layerClass in classes {
            for start in stride(from: 0, to: layerClass.layers.count, by: size) {
                members.append((layerClass.window, Array(layerClass.layers[start ..< start + size])))
            }
        }
        members.sort { $0.layers[0] < $1.layers[0] }
        var groupOfLayer = Array(repeating: 0, count: layers.count)
        var slotOfLayer = Array(repeating: 0, count: layers.count)
        var slots = 1
        for (group, member) in members.enumerated() {
            let held = member.layers.filter { layers.indices.contains($0) }
            for (slot, layer) in held.enumerated() {
                groupOfLayer[layer - layers.first] = group
                slotOfLayer[layer - layers.first] = slot
            }
            slots = max(slots, held.count)
        }
        return KVCacheLayout(groupWindows: members.map(\.window), layers: layers, groupOfLayer: groupOfLayer,
                             slotOfLayer: slotOfLayer, slotsPerBlock: slots)
    }

    private init(groupWindows: [Int?], layers: LayerRange, groupOfLayer: [Int], slotOfLayer: [Int], slotsPerBlock: Int? = nil) {
        self.groupWindows = groupWindows
        self.layers = layers
        self.groupOfLayer = groupOfLayer
        self.slotOfLayer = slotOfLayer
        self.slotsPerBlock = slotsPerBlock ?? layers.count
    }

    /// The group of stage-local `layer`.
    @inline(__always) public func group(ofLayer layer: Int) -> Int { groupOfLayer[layer] }
    /// The slot of stage-local `layer` within its group's blocks.
    @inline(__always) public func slot(ofLayer layer: Int) -> Int { slotOfLayer[layer] }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
