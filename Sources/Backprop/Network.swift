/// A fully connected feedforward network in the notation of the notes.
///
/// Layer 1 is the input; each layer l = 2…L has n_l neurons, an activation σ^l, a weight matrix
/// w^l of shape n_l × n_{l−1} whose entry `weights[l][j, k]` is w^l_jk (from neuron k in layer
/// l − 1 to neuron j in layer l) and a bias vector b^l. All per-layer values are indexed by the
/// layer number l (see `PerLayer`). The forward pass, backpropagation, training and evaluation
/// live in extensions, one file each.
public struct Network: Equatable, Sendable {
    /// n_1, n_2, …, n_L: the number of neurons in each layer, the input layer first.
    public let sizes: [Int]
    /// σ^l for layers 2…L.
    public let activations: PerLayer<Activation>
    /// w^l for layers 2…L, each n_l × n_{l−1}.
    public internal(set) var weights: PerLayer<Matrix>
    /// b^l for layers 2…L, each with n_l components.
    public internal(set) var biases: PerLayer<Vector>

    /// L, the number of layers, the input layer included.
    public var layerCount: Int { sizes.count }

    /// The number of weights and biases.
    public var parameterCount: Int {
        (1..<sizes.count).reduce(0) { $0 + sizes[$1] * sizes[$1 - 1] + sizes[$1] }
    }

    /// A network with random parameters drawn by `initializer` from a generator seeded with `seed`.
    ///
    /// - Parameters:
    ///   - sizes: n_1, …, n_L; at least two layers, each with at least one neuron.
    ///   - activations: σ^2, …, σ^L, one per layer after the input.
    public init(sizes: [Int], activations: [Activation], initializer: Initializer = .scaledNormal,
                seed: UInt64) throws(BackpropError) {
        try Network.validate(sizes: sizes, activations: activations)
        var random = Random(seed: seed)
        var weights: [Matrix] = [], biases: [Vector] = []
        for l in 1..<sizes.count {
            let deviation = initializer.weightStandardDeviation(fanIn: sizes[l - 1], fanOut: sizes[l])
            let w = (0..<sizes[l] * sizes[l - 1]).map { _ in deviation * random.normal() }
            weights.append(try Matrix(rows: sizes[l], columns: sizes[l - 1], elements: w))
            biases.append(Vector((0..<sizes[l]).map { _ in initializer.drawsBiases ? random.normal() : 0 }))
        }
        self.sizes = sizes
        self.activations = PerLayer(first: 2, activations)
        self.weights = PerLayer(first: 2, weights)
        self.biases = PerLayer(first: 2, biases)
    }

    /// A network with random parameters and one activation for every layer after the input
    /// (and optionally another one for the output layer).
    public init(sizes: [Int], activation: Activation = .sigmoid, outputActivation: Activation? = nil,
                initializer: Initializer = .scaledNormal, seed: UInt64) throws(BackpropError) {
        var activations = Array(repeating: activation, count: max(sizes.count - 1, 0))
        if let outputActivation, !activations.isEmpty { activations[activations.count - 1] = outputActivation }
        try self.init(sizes: sizes, activations: activations, initializer: initializer, seed: seed)
    }

    /// A network with the given parameters, which must have the shapes the sizes imply and be finite.
    ///
    /// - Parameters:
    ///   - weights: w^2, …, w^L.
    ///   - biases: b^2, …, b^L.
    public init(sizes: [Int], activations: [Activation], weights: [Matrix], biases: [Vector]) throws(BackpropError) {
        try Network.validate(sizes: sizes, activations: activations)
        try Network.validate(sizes: sizes, weights: weights, biases: biases)
        self.sizes = sizes
        self.activations = PerLayer(first: 2, activations)
        self.weights = PerLayer(first: 2, weights)
        self.biases = PerLayer(first: 2, biases)
    }

    /// Replaces w^l and b^l of layer `l` by parameters of the same shapes.
    public mutating func setParameters(layer l: Int, weights w: Matrix, biases b: Vector) throws(BackpropError) {
        guard weights.indices.contains(l) else {
            throw .invalidArchitecture("there is no layer \(l) with parameters; layers are 2…\(layerCount)")
        }
        var allWeights = weights.values, allBiases = biases.values
        allWeights[l - 2] = w
        allBiases[l - 2] = b
        try Network.validate(sizes: sizes, weights: allWeights, biases: allBiases)
        weights[l] = w
        biases[l] = b
    }

    // MARK: - Validation

    static func validate(sizes: [Int], activations: [Activation]) throws(BackpropError) {
        guard sizes.count >= 2 else {
            throw .invalidArchitecture("a network needs at least an input and an output layer, got \(sizes.count) layer(s)")
        }
        if let l = sizes.firstIndex(where: { $0 < 1 }) {
            throw .invalidArchitecture("layer \(l + 1) has \(sizes[l]) neurons; every layer needs at least one")
        }
        guard activations.count == sizes.count - 1 else {
            throw .invalidArchitecture("\(sizes.count) layers need \(sizes.count - 1) activations (one per layer after the input), got \(activations.count)")
        }
    }

    static func validate(sizes: [Int], weights: [Matrix], biases: [Vector]) throws(BackpropError) {
        guard weights.count == sizes.count - 1 else {
            throw .shapeMismatch(parameter: "weights", expected: "\(sizes.count - 1) matrices", found: "\(weights.count)")
        }
        guard biases.count == sizes.count - 1 else {
            throw .shapeMismatch(parameter: "biases", expected: "\(sizes.count - 1) vectors", found: "\(biases.count)")
        }
        for l in 2...sizes.count {
            let w = weights[l - 2], b = biases[l - 2]
            let rows = sizes[l - 1], columns = sizes[l - 2]
            guard w.rows == rows && w.columns == columns else {
                throw .shapeMismatch(parameter: "w^\(l)", expected: "\(rows) × \(columns)", found: w.shape)
            }
            guard b.count == rows else {
                throw .shapeMismatch(parameter: "b^\(l)", expected: "\(rows)", found: "\(b.count)")
            }
            if let i = w.elements.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(location: "w^\(l)[\(i / columns), \(i % columns)]")
            }
            if let j = b.elements.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(location: "b^\(l)[\(j)]")
            }
        }
    }
}
