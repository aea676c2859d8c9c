/// Everything that can go wrong in the engine, each case with a message that says what and where.
///
/// The engine never traps on bad input: mismatched sizes, empty data sets, NaN or ∞ in data,
/// malformed CSV or JSON and impossible hyperparameters all throw one of these.
public enum BackpropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands whose sizes do not fit, as in `operation`: expected versus found.
    case dimensionMismatch(operation: ErrorText, expected: ErrorText, found: ErrorText)
    /// A network that cannot be built, such as one with a layer of no neurons.
    case invalidArchitecture(ErrorText)
    /// A cost that is not defined for the output activation (cross-entropy needs outputs in (0, 1)).
    case incompatibleCost(cost: ErrorText, activation: ErrorText)
    /// A data set, batch or sample list with nothing in it.
    case emptyDataSet(ErrorText)
    /// A NaN or infinite value in an input: `location` says where.
    case nonFinite(location: ErrorText)
    /// A line of a CSV file that cannot be read (lines count from 1).
    case malformedCSV(line: Int, reason: ErrorText)
    /// A saved network whose parameters do not have the shapes its layer sizes imply.
    case shapeMismatch(parameter: ErrorText, expected: ErrorText, found: ErrorText)
    /// A saved network that is not valid JSON of the expected form.
    case malformedJSON(ErrorText)
    /// A hyperparameter outside its range.
    case invalidHyperparameter(name: ErrorText, value: Double, requirement: ErrorText)
    /// A file that could not be read or written.
    case fileAccess(path: ErrorText, reason: ErrorText)

    /// What went wrong and where, in words.
    public var message: ErrorText {
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
            #if hasFeature(Embedded)
            _ = value // the browser build writes no floating-point numbers (see ErrorText)
            return "\(name) must be \(requirement)"
            #else
            return "\(name) = \(value), but it must be \(requirement)"
            #endif
        case let .fileAccess(path, reason):
            return "\(path): \(reason)"
        }
    }

    public var description: String {
        #if hasFeature(Embedded)
        String(decoding: message.utf8, as: UTF8.self)
        #else
        message
        #endif
    }
}
