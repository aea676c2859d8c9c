/// Which URLs a page may link to or load: http, https, mailto for links, and relative URLs.
///
/// The scheme is read as browsers read it (the WHATWG URL parser): leading and trailing C0
/// controls and spaces are stripped, ASCII tab, line feed and carriage return are removed
/// wherever they are, and the scheme is an ASCII letter then letters, digits, `+`, `-` or `.`
/// up to the first `:`, compared without regard to case. So `java\tscript:`, ` JAVASCRIPT:`,
/// `vbscript:`, `data:` and `file:` are all unsafe, while a URL whose first `:` comes after a
/// `/`, `?`, `#` or any other character that cannot be in a scheme has none and is relative
/// (`//host/path`, `notes/a:b.html`, `?q=a:b`, `#sec:intro`).
///
/// Used for raw-HTML attributes (``HTMLSanitizer``) and for Markdown link and image destinations,
/// which cmark hands over already decoded.
enum URLPolicy {
    /// Where a URL is used, which decides the schemes it may have.
    enum Context: Sendable {
        /// A link that is followed: `href`. Allows http, https, mailto and relative URLs.
        case href
        /// A resource the page loads or cites: `src`, `cite`, `longdesc`. Allows http, https and
        /// relative URLs.
        case src

        /// The lower-case schemes allowed here.
        var allowedSchemes: Set<String> {
            switch self {
            case .href: ["http", "https", "mailto"]
            case .src: ["http", "https"]
            }
        }
    }

    /// Whether a URL may be used, and if not, why.
    enum Verdict: Equatable, Sendable {
        case allowed
        /// The URL's scheme (lower-cased, without the colon) is not allowed in its context.
        case disallowedScheme(String)
    }

    /// Whether `url` may be used in `context`.
    static func isSafe(_ url: String, for context: Context) -> Bool {
        verdict(for: url, in: context) == .allowed
    }

    /// Whether `url` may be used in `context`, with the offending scheme if not.
    static func verdict(for url: String, in context: Context) -> Verdict {
        guard let scheme = scheme(of: url) else { return .allowed }
        return context.allowedSchemes.contains(scheme) ? .allowed : .disallowedScheme(scheme)
    }

    /// The lower-cased scheme a browser reads from `url`, or nil for a relative URL.
    static func scheme(of url: String) -> String? {
        var scalars = Substring(url).unicodeScalars
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        var scheme = String.UnicodeScalarView()
        for scalar in scalars {
            switch scalar {
            case "\t", "\n", "\r":
                continue
            case ":":
                return scheme.isEmpty ? nil : String(scheme)
            case "a"..."z", "A"..."Z":
                scheme.append(Unicode.Scalar(UInt8(scalar.value) | 0x20))
            case "0"..."9", "+", "-", ".":
                guard !scheme.isEmpty else { return nil }
                scheme.append(scalar)
            default:
                return nil
            }
        }
        return nil
    }
}
