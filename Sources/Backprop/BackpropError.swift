/// Everything that can go wrong in the engine, each case with a message that says what and where.
///
/// The engine never traps on bad input: mismatched sizes, empty data sets, NaN or ∞ in data,
/// malformed CSV or JSON and impossible hyperparameters all throw one of these.
public enum BackpropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands whose sizes do not fit, as in `operation`: expected versus found.
    case dimensionMismatch(operation: String, expected: String, found: String)
    /// A network that cannot be built, such as one with a layer of no neurons.
    case invalidArchitecture(String)
    /// A cost that is not defined for the output activation (cross-entropy needs outputs in (0, 1)).
    case incompatibleCost(cost: String, activation: String)
    /// A data set, batch or sample list with nothing in it.
    case emptyDataSet(String)
    /// A NaN or infinite value in an input: `location` says where.
    case nonFinite(location: String)
    /// A line of a CSV file that cannot be read (lines count from 1).
    case malformedCSV(line: Int, reason: String)
    /// A saved network whose parameters do not have the shapes its layer sizes imply.
    case shapeMismatch(parameter: String, expected: String, found: String)
    /// A saved network that is not valid JSON of the expected form.
    case malformedJSON(String)
    /// A hyperparameter outside its range.
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// A file that could not be read or written.
    case fileAccess(path: String, reason: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, expected, found):
            return "\(operation): expected \(expected), found \(found)"
        case let .invalidArchitecture(reason):
            return "invalid network: \(reason)"
        case let .incompatibleCost(cost, activation):
            return "the \(cost) cost needs outputs in (0, 1), which a \(activation) output layer does not give"
        case let .emptyDataSet(what):
            return "empty data set: \(what)"
        case let .nonFinite(location):
            return "non-finite value (NaN or ∞) in \(location)"
        case let .malformedCSV(line, reason):
            return "line \(line): \(reason)"
        case let .shapeMismatch(parameter, expected, found):
            return "\(parameter) has shape \(found), but the layer sizes need \(expected)"
        case let .malformedJSON(reason):
            return "malformed network JSON: \(reason)"
        case let .invalidHyperparameter(name, value, requirement):
            return "\(name) = \(value), but it must be \(requirement)"
        case let .fileAccess(path, reason):
            return "\(path): \(reason)"
        }
    }
}
