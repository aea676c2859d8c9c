/// One value per layer, indexed by the layer's number l as in the notes.
///
/// The input layer is layer 1, so `activations[1]` is a^1 = x, and `weights[2]` is w^2, the
/// first weight matrix; quantities that exist only for layers 2…L (w^l, b^l, z^l, δ^l) start at
/// index 2. Iterate with `for l in weights.indices`.
public struct PerLayer<Element>: RandomAccessCollection, MutableCollection {
    /// The values, for layers `startIndex`, `startIndex + 1`, ….
    public var values: [Element]
    /// The number of the first layer held.
    public let startIndex: Int

    /// Values for the layers `first`, `first + 1`, …, `first + values.count − 1`.
    public init(first: Int, _ values: [Element]) {
        self.startIndex = first
        self.values = values
    }

    public var endIndex: Int { startIndex + values.count }

    public subscript(l: Int) -> Element {
        get { values[l - startIndex] }
        set { values[l - startIndex] = newValue }
    }

    /// The value for the last layer L.
    public var lastLayer: Element { values[values.count - 1] }
}

extension PerLayer: Equatable where Element: Equatable {}
extension PerLayer: Hashable where Element: Hashable {}
extension PerLayer: Sendable where Element: Sendable {}
