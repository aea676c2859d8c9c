/// Samples (x, y) for training or evaluation: inputs and targets, one sample per row.
///
/// A data set is never empty and holds only finite numbers; the initialisers check both. The
/// built-in data sets (XOR, a noisy linear regression, the handwritten digits) are in
/// extensions.
public struct DataSet: Equatable, Sendable {
    /// The inputs x, one sample per row.
    public let inputs: Matrix
    /// The targets y, one sample per row.
    public let targets: Matrix

    /// The number of samples.
    public var count: Int { inputs.rows }

    /// A data set from its input and target matrices, which must have one row per sample each.
    public init(inputs: Matrix, targets: Matrix) throws(BackpropError) {
        guard inputs.rows > 0 else { throw .emptyDataSet("no samples") }
        guard inputs.columns > 0 && targets.columns > 0 else {
            throw .emptyDataSet("samples need at least one input and one target component")
        }
        guard targets.rows == inputs.rows else {
            throw .dimensionMismatch(operation: "data set", expected: "\(inputs.rows) target rows (one per input)",
                                     found: "\(targets.rows)")
        }
        if let i = inputs.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(location: "input \(i % inputs.columns) of sample \(i / inputs.columns)")
        }
        if let i = targets.elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(location: "target \(i % targets.columns) of sample \(i / targets.columns)")
        }
        self.inputs = inputs
        self.targets = targets
    }

    /// A data set from a list of samples, which must all have the same sizes.
    public init(samples: [(x: Vector, y: Vector)]) throws(BackpropError) {
        guard let first = samples.first else { throw .emptyDataSet("no samples") }
        for (i, sample) in samples.enumerated() {
            guard sample.x.count == first.x.count, sample.y.count == first.y.count else {
                throw .dimensionMismatch(operation: "sample \(i)",
                                         expected: "x with \(first.x.count) and y with \(first.y.count) components",
                                         found: "\(sample.x.count) and \(sample.y.count)")
            }
        }
        try self.init(
            inputs: Matrix(rows: samples.count, columns: first.x.count, elements: samples.flatMap { $0.x.elements }),
            targets: Matrix(rows: samples.count, columns: first.y.count, elements: samples.flatMap { $0.y.elements }))
    }

    /// Sample i as (x, y).
    public subscript(i: Int) -> (x: Vector, y: Vector) {
        (inputs.row(i), targets.row(i))
    }

    /// The samples with indices in `range`.
    public func samples(_ range: Range<Int>) throws(BackpropError) -> DataSet {
        guard range.lowerBound >= 0 && range.upperBound <= count else {
            throw .dimensionMismatch(operation: "sample range", expected: "a range within 0..<\(count)",
                                     found: "\(range.lowerBound)..<\(range.upperBound)")
        }
        return try samples(Array(range))
    }

    /// The samples with the given indices, in that order.
    public func samples(_ indices: [Int]) throws(BackpropError) -> DataSet {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw .dimensionMismatch(operation: "sample index", expected: "0..<\(count)", found: "\(bad)")
        }
        func gather(_ m: Matrix) throws(BackpropError) -> Matrix {
            var elements: [Double] = []
            elements.reserveCapacity(indices.count * m.columns)
            for i in indices { elements += m.elements[i * m.columns..<(i + 1) * m.columns] }
            return try Matrix(rows: indices.count, columns: m.columns, elements: elements)
        }
        return try DataSet(inputs: gather(inputs), targets: gather(targets))
    }

    /// The first `trainingCount` samples and the rest, in order (rows 0–1499 and 1500–1796 of the
    /// digits, for example).
    public func split(at trainingCount: Int) throws(BackpropError) -> (training: DataSet, test: DataSet) {
        guard trainingCount > 0 && trainingCount < count else {
            throw .emptyDataSet("a split at \(trainingCount) of \(count) samples leaves one side empty")
        }
        return (try samples(0..<trainingCount), try samples(trainingCount..<count))
    }

    /// A random split: `trainingCount` samples drawn by a permutation seeded with `seed`, and the rest.
    public func shuffledSplit(trainingCount: Int, seed: UInt64) throws(BackpropError) -> (training: DataSet, test: DataSet) {
        guard trainingCount > 0 && trainingCount < count else {
            throw .emptyDataSet("a split at \(trainingCount) of \(count) samples leaves one side empty")
        }
        var random = Random(seed: seed)
        let order = random.permutation(count)
        return (try samples(Array(order[..<trainingCount])), try samples(Array(order[trainingCount...])))
    }
}
