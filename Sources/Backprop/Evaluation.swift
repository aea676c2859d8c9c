/// A network's mean cost and accuracy on a data set.
public struct Evaluation: Equatable, Sendable {
    /// The mean cost over the samples, plus (λ/2n) Σ w² when training with L2 regularisation.
    public let cost: Double
    /// How many samples the network classifies correctly.
    public let correct: Int
    /// The number of samples.
    public let count: Int

    /// `correct / count`.
    public var accuracy: Double { Double(correct) / Double(count) }
}
