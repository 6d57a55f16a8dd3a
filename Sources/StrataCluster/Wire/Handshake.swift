/// What a worker tells the coordinator about itself before any step.
public struct Handshake: Sendable, Equatable {
    /// SHA-256 of the worker's model file, 32 bytes.
    public var modelDigest: [UInt8]
    /// The layers the worker holds, `[first, last)` of `layerCount`.
    public var firstLayer: Int
    public var lastLayer: Int
    public var layerCount: Int
    /// KV blocks in the worker's pool and tokens per block.
    public var blockCount: Int
    public var blockSize: Int
    /// Most rows per step and most positions per sequence the worker's buffers hold.
    public var maxBatchTokens: Int
    public var contextLength: Int
    /// Most sequences sampled in one step (the last stage's logits buffer).
    public var maxRunning: Int
    /// The model's embedding width and vocabulary size.
    public var embeddingWidth: Int
    public var vocabularySize: Int
    /// Random per worker process: a changed value means the worker restarted (its KV cache and
    /// samplers are gone).
    public var instanceID: UInt64

    public init(
        modelDigest: [UInt8], firstLayer: Int, lastLayer: Int, layerCount: Int, blockCount: Int, blockSize: Int,
        maxBatchTokens: Int, contextLength: Int, maxRunning: Int, embeddingWidth: Int, vocabularySize: Int, instanceID: UInt64
    ) {
        self.modelDigest = modelDigest
        self.firstLayer = firstLayer
        self.lastLayer = lastLayer
        self.layerCount = layerCount
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.maxBatchTokens = maxBatchTokens
        self.contextLength = contextLength
        self.maxRunning = maxRunning
        self.embeddingWidth = embeddingWidth
        self.vocabularySize = vocabularySize
        self.instanceID = instanceID
    }

    /// Whether the worker holds the last layer (and so samples).
    public var isLastStage: Bool { lastLayer == layerCount }

    /// Header (kind 4), 32-byte digest, then u32 each: first, last, layer count, block count, block
    /// size, max batch tokens, context length, max running, embedding width, vocabulary size;
    /// then the instance id u64. The wire version in the header is the worker's version.
    public func encoded() -> [UInt8] {
        var writer = WireWriter()
        FrameHeader.write(.handshake, into: &writer)
        for byte in modelDigest { writer.u8(byte) }
        for value in [firstLayer, lastLayer, layerCount, blockCount, blockSize, maxBatchTokens, contextLength,
                      maxRunning, embeddingWidth, vocabularySize] {
            writer.integer(UInt32(clamping: value))
        }
        writer.integer(instanceID)
        return writer.bytes
    }

    /// Decodes a handshake frame.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var reader = WireReader(bytes)
        try FrameHeader.read(.handshake, from: &reader)
        var digest: [UInt8] = []
        for _ in 0 ..< 32 { digest.append(try reader.u8("modelDigest")) }
        var values: [Int] = []
        for name in ["firstLayer", "lastLayer", "layerCount", "blockCount", "blockSize", "maxBatchTokens",
                     "contextLength", "maxRunning", "embeddingWidth", "vocabularySize"] {
            values.append(Int(try reader.integer(UInt32.self, name)))
        }
        let instance = try reader.integer(UInt64.self, "instanceID")
        try reader.finish()
        guard values[0] < values[1], values[1] <= values[2] else {
            throw .invalidField("layers", reason: "\(values[0]):\(values[1]) of \(values[2])")
        }
        self.init(modelDigest: digest, firstLayer: values[0], lastLayer: values[1], layerCount: values[2],
                  blockCount: values[3], blockSize: values[4], maxBatchTokens: values[5], contextLength: values[6],
                  maxRunning: values[7], embeddingWidth: values[8], vocabularySize: values[9], instanceID: instance)
    }
}
