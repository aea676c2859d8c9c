/// The outcome of a `GradientCheck`: the largest errors and where they occurred.
public struct GradientCheckResult: Equatable, Sendable {
    /// How many parameters were compared.
    public let parametersChecked: Int
    /// The largest |analytic − numeric|.
    public private(set) var maxAbsoluteError = 0.0
    /// The largest relative error.
    public private(set) var maxRelativeError = 0.0
    /// The parameter with the largest relative error.
    public private(set) var worst: ParameterLocation?
    /// Backpropagation's and the finite difference's value at `worst`.
    public private(set) var worstAnalytic = 0.0, worstNumeric = 0.0

    init(parametersChecked: Int) { self.parametersChecked = parametersChecked }

    mutating func record(_ location: ParameterLocation, analytic: Double, numeric: Double, floor: Double) {
        let absolute = abs(analytic - numeric)
        let scale = max(abs(analytic), abs(numeric))
        let relative = scale < floor ? 0 : absolute / scale
        maxAbsoluteError = max(maxAbsoluteError, absolute)
        if worst == nil || relative > maxRelativeError {
            maxRelativeError = relative
            worst = location
            worstAnalytic = analytic
            worstNumeric = numeric
        }
    }
}

