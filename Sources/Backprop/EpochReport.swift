/// What one epoch of training achieved, for progress output and plots.
public struct EpochReport: Equatable, Sendable {
    /// The epoch, counting from 1.
    public let epoch: Int
    /// Cost and accuracy on the training data, if `SGD.monitorTraining` was set.
    public let training: Evaluation?
    /// Cost and accuracy on the evaluation data, if some was given.
    public let evaluation: Evaluation?
}

