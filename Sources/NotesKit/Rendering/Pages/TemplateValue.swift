import Mustache

/// A page context as templates see it, reflected once instead of on every lookup.
///
/// swift-mustache finds `{{name}}` in a struct by reflecting the struct (`Mirror`) on every
/// lookup, which made rendering the pages cost more than building their bodies. This reflects a
/// struct once into a table of its stored properties, recursively for struct properties and
/// arrays of structs, so that lookups find exactly what reflection would have found: the first
/// property of that name, an optional's value (nil is "not found"), anything else unchanged.
/// Printed (`{{.}}`), a wrapped struct reads as the struct itself.
struct TemplateValue: MustacheParent, CustomStringConvertible, @unchecked Sendable {
    private let fields: [String: Any]
    private let original: Any

    func child(named name: String) -> Any? { fields[name] }
    var description: String { String(describing: original) }

    /// `value` ready for a template: structs (and arrays of structs) wrapped, anything else as it is.
    static func wrap(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?:
            guard !(value is MustacheParent || value is MustacheCustomRenderable || value is MustacheLambda
                    || value is MustacheTransformable) else { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, fields[label] == nil, let field = unwrap(child.value) else { continue }
                fields[label] = wrap(field)
            }
            return TemplateValue(fields: fields, original: value)
        case .collection?:
            // Only arrays of structs: an array of strings or numbers keeps its type (and its transforms).
            guard value is any MustacheSequence, let first = mirror.children.first,
                  Mirror(reflecting: first.value).displayStyle == .struct else { return value }
            return mirror.children.map { wrap($0.value) }
        default:
            return value
        }
    }

    /// What a reflected lookup yields for a property: an optional's value, nil when it has none.
    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
