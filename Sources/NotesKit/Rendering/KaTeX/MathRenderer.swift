/// One piece of TeX to typeset.
///
/// `display` selects display style (a centred block, `$$…$$`) over inline style (`$…$`).
public struct MathRequest: Sendable, Hashable {
    /// The TeX source, without its `$` delimiters.
    public var tex: String
    /// Whether to typeset as a display block rather than inline.
    public var display: Bool

    /// Creates a request for `tex` in display or inline style.
    public init(tex: String, display: Bool) {
        self.tex = tex
        self.display = display
    }
}

/// What the renderer made of one request.
public enum MathOutcome: Sendable, Equatable {
    /// The typeset math, ready to paste into a page.
    case rendered(html: String)
    /// The TeX was rejected; `message` says why, in the typesetter's words.
    case failed(message: String)
}

/// Typesets TeX to HTML.
///
/// A TeX error in one request is that request's `.failed` outcome; `render` throws only when the
/// typesetter itself cannot work (missing, crashed).
public protocol MathRenderer: Sendable {
    /// Typesets every request, returning one outcome per request in the same order.
    func render(_ requests: [MathRequest]) throws -> [MathOutcome]
}
