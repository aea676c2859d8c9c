#if !hasFeature(Embedded)
/// A vector in JSON is the plain list of its components, `[1.5, -2, 0.25]`.
///
/// Native builds only: Embedded Swift has no `Codable`.
extension Vector: Codable {
    public init(from decoder: any Decoder) throws {
        elements = try decoder.singleValueContainer().decode([Double].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(elements)
    }
}
#endif
