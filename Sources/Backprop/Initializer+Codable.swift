#if !hasFeature(Embedded)
/// An initializer in JSON is its name.
///
/// Native builds only: Embedded Swift has no `Codable`.
extension Initializer: Codable {}
#endif
