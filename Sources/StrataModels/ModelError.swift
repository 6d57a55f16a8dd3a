import StrataGGUF
import StrataKernels

/// Why a model could not be loaded or run.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `general.architecture` names an architecture Strata does not implement.
    case unsupportedArchitecture(String)
    /// A tensor the architecture needs is absent.
    case missingTensor(String)
    /// A tensor has another shape than the hyperparameters imply.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tensor is of a type that cannot be used where it is.
    case unsupportedTensorType(tensor: String, type: GGMLType)
    /// A hyperparameter is missing, malformed or out of range.
    case invalidHyperparameter(key: String, reason: String)
    /// The requested layer range does not fit the model.
    case invalidLayerRange(first: Int, last: Int, layerCount: Int)
    /// Reading the GGUF metadata failed.
    case metadata(GGUFError)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(name): "unsupported model architecture '\(name)'"
        case let .missingTensor(name): "model tensor '\(name)' is missing"
        case let .shapeMismatch(tensor, expected, found): "tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .unsupportedTensorType(tensor, type): "tensor '\(tensor)' has unsupported type \(type)"
        case let .invalidHyperparameter(key, reason): "hyperparameter '\(key)': \(reason)"
        case let .invalidLayerRange(first, last, count): "layer range \(first):\(last) does not fit a model of \(count) layers"
        case let .metadata(error): error.description
        }
    }
}
