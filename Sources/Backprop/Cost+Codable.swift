#if !hasFeature(Embedded)
/// A cost in JSON is its name.
///
/// Native builds only: Embedded Swift has no `Codable`.
extension Cost: Codable {}
#endif
