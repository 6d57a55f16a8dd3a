#if canImport(StrataGGUF)
import StrataGGUF
#endif

/// What must hold for any file the reader accepts; used by both fuzzers.
///
/// Returns a description of each violation (empty when all hold).
func invariantViolations(of file: GGUFFile) -> [String] {
    var violations: [String] = []
    if file.version != 2, file.version != 3 { violations.append("version \(file.version)") }
    if file.alignment < 1 || file.alignment & (file.alignment - 1) != 0 { violations.append("alignment \(file.alignment)") }
    if file.dataOffset > file.fileSize { violations.append("data offset \(file.dataOffset) past \(file.fileSize)") }
    var ranges: [(Int, Int)] = []
    for tensor in file.tensors {
        let data = file.data(for: tensor)
        let end = file.dataOffset + tensor.offset + tensor.byteCount
        if tensor.offset % file.alignment != 0 { violations.append("'\(tensor.name)' misaligned") }
        if end > file.fileSize { violations.append("'\(tensor.name)' ends at \(end) past \(file.fileSize)") }
        if data.count != tensor.byteCount { violations.append("'\(tensor.name)' data is \(data.count) bytes") }
        if tensor.dimensions.isEmpty || tensor.dimensions.count > GGUFFile.maxDimensions || tensor.dimensions.contains(where: { $0 < 1 }) {
            violations.append("'\(tensor.name)' dimensions \(tensor.dimensions)")
        } else if tensor.dimensions.reduce(1, *) != tensor.elementCount
            || tensor.type.rowByteCount(elements: tensor.rowLength).map({ $0 * tensor.rowCount }) != tensor.byteCount {
            violations.append("'\(tensor.name)' sizes disagree")
        }
        if file.tensor(named: tensor.name) != tensor { violations.append("'\(tensor.name)' lookup") }
        touchEnds(data)
        ranges.append((tensor.offset, tensor.offset + tensor.byteCount))
    }
    ranges.sort { $0.0 < $1.0 }
    for (previous, next) in zip(ranges, ranges.dropFirst()) where previous.1 > next.0 {
        violations.append("overlap at \(next.0)")
    }
    if Set(file.metadata.keys).count != file.metadata.keys.count { violations.append("duplicate keys") }
    for key in file.metadata.keys {
        guard let value = file.metadata[key] else {
            violations.append("key '\(key)' has no value")
            continue
        }
        if case let .array(elementType, _) = value, elementType == .array { violations.append("nested array '\(key)'") }
        // Every accessor either returns or throws, whatever the value's type.
        _ = try? file.metadata.string(key)
        _ = try? file.metadata.integer(key)
        _ = try? file.metadata.float(key)
        _ = try? file.metadata.bool(key)
        _ = try? file.metadata.stringArray(key)
        _ = try? file.metadata.integerArray(key)
        _ = try? file.metadata.floatArray(key)
    }
    return violations
}

/// Reads the first and last byte of `data`, so a wrong range shows up under AddressSanitizer.
@_optimize(none)
func touchEnds(_ data: UnsafeRawBufferPointer) {
    _ = data.first
    _ = data.last
}
