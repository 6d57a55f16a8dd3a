/// Everything that can be wrong with a GGUF file. Each case names the key, tensor or offset involved.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file ended while reading `what` at byte `offset`.
    case truncated(what: String, offset: Int)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: UInt32)
    /// Only versions 2 and 3 are read.
    case unsupportedVersion(UInt32)
    /// A count in the header or an array length is larger than the file could hold.
    case countTooLarge(what: String, count: UInt64)
    /// A metadata value type id is not one GGUF defines.
    case invalidValueType(key: String, rawType: UInt32)
    /// An array of arrays (GGUF allows it, no model uses it, and we refuse it).
    case nestedArray(key: String)
    /// The same metadata key appears twice.
    case duplicateKey(String)
    /// The same tensor name appears twice.
    case duplicateTensor(String)
    /// `general.alignment` is zero, not a power of two, or absurdly large.
    case invalidAlignment(UInt64)
    /// A tensor has no dimensions, too many, or a zero or negative one.
    case invalidDimensions(tensor: String, dimensions: [UInt64])
    /// The element count of a tensor overflows.
    case elementCountOverflow(tensor: String)
    /// A tensor's type id is not a ggml type.
    case unknownTensorType(tensor: String, rawType: UInt32)
    /// A tensor's row length is not a whole number of its type's blocks.
    case rowNotBlockAligned(tensor: String, type: GGMLType, rowLength: Int)
    /// A tensor's data offset is not a multiple of the alignment.
    case misalignedTensor(tensor: String, offset: UInt64)
    /// A tensor's data lies partly or wholly outside the file.
    case tensorOutOfBounds(tensor: String, offset: UInt64, byteCount: UInt64, dataSize: Int)
    /// Two tensors' data ranges overlap.
    case overlappingTensors(String, String)
    /// A metadata key that was asked for is absent.
    case missingKey(String)
    /// A metadata key holds a value of another type than asked for.
    case typeMismatch(key: String, expected: String, found: String)
    /// A metadata value is of the right type but out of range for its use.
    case invalidValue(key: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open GGUF file '\(path)': \(reason)"
        case let .truncated(what, offset): "GGUF file is truncated: \(what) at byte \(offset) runs past the end"
        case let .badMagic(found): "not a GGUF file (magic 0x\(String(found, radix: 16)), expected 'GGUF')"
        case let .unsupportedVersion(version): "unsupported GGUF version \(version) (supported: 2, 3)"
        case let .countTooLarge(what, count): "GGUF \(what) count \(count) is larger than the file can hold"
        case let .invalidValueType(key, rawType): "metadata key '\(key)' has invalid value type \(rawType)"
        case let .nestedArray(key): "metadata key '\(key)' is an array of arrays, which is not supported"
        case let .duplicateKey(key): "metadata key '\(key)' appears more than once"
        case let .duplicateTensor(name): "tensor '\(name)' appears more than once"
        case let .invalidAlignment(value): "general.alignment \(value) is not a power of two between 1 and 65536"
        case let .invalidDimensions(tensor, dims): "tensor '\(tensor)' has invalid dimensions \(dims)"
        case let .elementCountOverflow(tensor): "tensor '\(tensor)' has more elements than can be addressed"
        case let .unknownTensorType(tensor, rawType): "tensor '\(tensor)' has unknown ggml type \(rawType)"
        case let .rowNotBlockAligned(tensor, type, rowLength):
            "tensor '\(tensor)' of type \(type) has row length \(rowLength), not a multiple of the block size \(type.blockSize)"
        case let .misalignedTensor(tensor, offset): "tensor '\(tensor)' data offset \(offset) is not aligned"
        case let .tensorOutOfBounds(tensor, offset, byteCount, dataSize):
            "tensor '\(tensor)' (\(byteCount) bytes at data offset \(offset)) lies outside the file's \(dataSize)-byte data section"
        case let .overlappingTensors(a, b): "tensors '\(a)' and '\(b)' overlap in the file"
        case let .missingKey(key): "metadata key '\(key)' is missing"
        case let .typeMismatch(key, expected, found): "metadata key '\(key)' is \(found), expected \(expected)"
        case let .invalidValue(key, reason): "metadata key '\(key)': \(reason)"
        }
    }
}
