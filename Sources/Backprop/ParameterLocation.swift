/// A weight w^l_jk or a bias b^l_j, with j and k counted from 0 as in `Matrix` and `Vector`.
public enum ParameterLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    case weight(layer: Int, j: Int, k: Int)
    case bias(layer: Int, j: Int)

    init(index: Int, in workspace: BatchWorkspace) {
        var p = workspace.weightOffsets.count - 1
        while workspace.weightOffsets[p] > index { p -= 1 }
        let nIn = workspace.sizes[p]
        if index < workspace.biasOffsets[p] {
            let i = index - workspace.weightOffsets[p]
            self = .weight(layer: p + 2, j: i / nIn, k: i % nIn)
        } else {
            self = .bias(layer: p + 2, j: index - workspace.biasOffsets[p])
        }
    }

    func value(in gradients: Gradients) -> Double {
        switch self {
        case let .weight(l, j, k): gradients.nablaW[l][j, k]
        case let .bias(l, j): gradients.nablaB[l][j]
        }
    }

    public var description: String {
        switch self {
        case let .weight(l, j, k): "w^\(l)[\(j), \(k)]"
        case let .bias(l, j): "b^\(l)[\(j)]"
        }
    }
}
