#if !hasFeature(Embedded)
/// An activation in JSON is its name, as in a saved network's "activations" list.
///
/// Native builds only: Embedded Swift has no `Codable`.
extension Activation: Codable {}
#endif
