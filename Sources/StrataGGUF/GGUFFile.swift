/// A parsed, fully validated GGUF file (versions 2 and 3) whose tensor data stays memory-mapped.
///
/// Everything is checked before use: magic, version, bounded counts, value types, duplicate keys
/// and tensor names, dimensions, element-count overflow, tensor types, block-aligned rows,
/// alignment, and that every tensor lies inside the file without overlapping another.
/// A bad file gives a `GGUFError` naming the key or tensor at fault, never a crash.
public final class GGUFFile: Sendable {
    /// Default alignment of tensor data when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// Most dimensions a tensor may have.
    public static let maxDimensions = 4

    /// The GGUF version (2 or 3).
    public let version: UInt32
    /// The key–value metadata.
    public let metadata: GGUFMetadata
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data in bytes.
    public let alignment: Int
    /// Byte offset of the data section from the start of the file; the file size when a file
    /// without tensor data ends before the padding that would align it.
    public let dataOffset: Int
    /// Size of the whole file in bytes.
    public var fileSize: Int { bytes.buffer.count }

    private let bytes: FileBytes
    private let tensorIndex: [String: Int]

    /// Opens and validates the GGUF file at `path`, mapping it read-only.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(bytes: FileBytes(mapping: path))
    }

    /// Parses and validates a GGUF file held in memory (copied).
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(bytes: FileBytes(copying: bytes))
    }

    private init(bytes: FileBytes) throws(GGUFError) {
        self.bytes = bytes
        var parser = GGUFParser(bytes: bytes.buffer)
        let parsed = try parser.parse()
        version = parsed.version
        metadata = parsed.metadata
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        var index: [String: Int] = [:]
        for (position, tensor) in parsed.tensors.enumerated() {
            index[tensor.name] = position
        }
        tensorIndex = index
    }

    /// The tensor named `name`, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of `tensor`'s data. Valid as long as this file object is alive.
    ///
    /// `tensor` must be one of this file's tensors.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + tensor.offset
        // Validation put every tensor of this file inside it; this catches a tensor from another file.
        precondition(
            tensor.offset >= 0 && tensor.byteCount >= 0 && tensor.byteCount <= fileSize - start,
            "tensor '\(tensor.name)' is not a tensor of this GGUF file"
        )
        return UnsafeRawBufferPointer(rebasing: bytes.buffer[start ..< start + tensor.byteCount])
    }
}
