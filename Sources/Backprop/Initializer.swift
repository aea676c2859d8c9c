/// How a new network's weights and biases are drawn.
///
/// Each layer l = 2…L draws its weights w^l row by row (w^l_11, w^l_12, …) and then its
/// biases b^l_1, b^l_2, … from one `Random` generator, in that order, so a seed fixes the network.
public enum Initializer: String, CaseIterable, Sendable {
    /// w^l_jk and b^l_j standard normal, as in Nielsen's first network.
    case standardNormal
    /// w^l_jk normal with standard deviation 1/√n_{l−1} and b^l_j standard normal, Nielsen's
    /// improved default: it keeps z^l of order 1, away from saturation.
    case scaledNormal
    /// Xavier/Glorot: w^l_jk normal with variance 2 / (n_{l−1} + n_l), b^l_j = 0.
    case xavier
    /// He: w^l_jk normal with variance 2 / n_{l−1} (for ReLU layers), b^l_j = 0.
    case he

    /// The standard deviation of the weights of a layer with `fanIn` inputs and `fanOut` neurons.
    public func weightStandardDeviation(fanIn: Int, fanOut: Int) -> Double {
        switch self {
        case .standardNormal: 1
        case .scaledNormal: 1 / Double(fanIn).squareRoot()
        case .xavier: (2 / Double(fanIn + fanOut)).squareRoot()
        case .he: (2 / Double(fanIn)).squareRoot()
        }
    }

    /// Whether biases are drawn standard normal (otherwise they start at 0).
    public var drawsBiases: Bool { self == .standardNormal || self == .scaledNormal }
}
