import StrataGGUF
import StrataKernels

/// Looks up a model's tensors by name and checks their shapes before handing them out.
struct TensorLoader {
    let file: GGUFFile

    /// A matrix of `rows` output features by `columns` input features (ggml dims `[columns, rows]`).
    func matrix(_ name: String, rows: Int, columns: Int) throws(ModelError) -> WeightMatrix {
        let info = try tensor(name, dimensions: [columns, rows])
        do {
            return try WeightMatrix(type: info.type, rows: rows, columns: columns, data: try data(info))
        } catch {
            throw .unsupportedTensorType(tensor: name, type: info.type)
        }
    }

    /// A vector of `count` floats, converted to f32 whatever its stored type.
    func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        let info = try tensor(name, dimensions: [count])
        let matrix: WeightMatrix
        do {
            matrix = try WeightMatrix(type: info.type, rows: 1, columns: count, data: try data(info))
        } catch {
            throw .unsupportedTensorType(tensor: name, type: info.type)
        }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { dequantizeRow(matrix, row: 0, into: base) }
        }
        return values
    }

    /// The vector `name` when the file has it, else nil; a present tensor must have `count` floats.
    func optionalVector(_ name: String, count: Int) throws(ModelError) -> [Float]? {
        contains(name) ? try vector(name, count: count) : nil
    }

    /// The vocabulary size: the row count of `token_embd.weight`.
    func vocabularySize() throws(ModelError) -> Int {
        guard let embedding = file.tensor(named: "token_embd.weight") else { throw .missingTensor("token_embd.weight") }
        guard embedding.dimensions.count == 2 else {
            throw .shapeMismatch(tensor: "token_embd.weight", expected: [-1, -1], found: embedding.dimensions)
        }
        return embedding.dimensions[1]
    }

    /// Whether the file has a tensor called `name`.
    func contains(_ name: String) -> Bool { file.tensor(named: name) != nil }

    private func data(_ info: GGUFTensorInfo) throws(ModelError) -> UnsafeRawPointer {
        guard let base = file.data(for: info).baseAddress else { throw .missingTensor(info.name) }
        return base
    }

    private func tensor(_ name: String, dimensions: [Int]) throws(ModelError) -> GGUFTensorInfo {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
        // Trailing dimensions of 1 are the same shape.
        var found = info.dimensions
        while found.count > dimensions.count, found.last == 1 { found.removeLast() }
        guard found == dimensions else { throw .shapeMismatch(tensor: name, expected: dimensions, found: info.dimensions) }
        return info
    }
}

/// Typed access to an architecture's hyperparameters under `<architecture>.` keys.
struct Hyperparameters {
    let metadata: GGUFMetadata
    let architecture: String

    func integer(_ key: String, default defaultValue: Int? = nil) throws(ModelError) -> Int {
        let fullKey = "\(architecture).\(key)"
        let value: Int?
        do {
            value = try metadata.integerIfPresent(fullKey)
        } catch {
            throw .metadata(error)
        }
        guard let result = value ?? defaultValue else {
            throw .invalidHyperparameter(key: fullKey, reason: "missing")
        }
        guard result > 0 else { throw .invalidHyperparameter(key: fullKey, reason: "must be positive, is \(result)") }
        return result
    }

    func float(_ key: String, default defaultValue: Float? = nil) throws(ModelError) -> Float {
        let fullKey = "\(architecture).\(key)"
        let value: Float?
        do {
            value = try metadata.floatIfPresent(fullKey)
        } catch {
            throw .metadata(error)
        }
        guard let result = value ?? defaultValue else {
            throw .invalidHyperparameter(key: fullKey, reason: "missing")
        }
        guard result.isFinite else { throw .invalidHyperparameter(key: fullKey, reason: "is not finite") }
        return result
    }

    func string(_ key: String) throws(ModelError) -> String? {
        do {
            return try metadata.stringIfPresent("\(architecture).\(key)")
        } catch {
            throw .metadata(error)
        }
    }
}
