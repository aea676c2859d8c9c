/// What ``HTMLSanitizer`` keeps: allowed elements, their attributes, and which values are URLs.
///
/// Names are lower case. An attribute is kept when it is allowed for its element or for all
/// elements, its value decodes, a URL value passes ``URLPolicy`` and a `style` value passes
/// ``isSafeStyle(_:)``. Elements that are not allowed lose their tags but keep their text, except
/// the content-dropping ones (`script`, `style`, …), which go with everything inside them.
struct SanitizerPolicy: Sendable {
    /// Elements whose tags are kept.
    var allowedElements: Set<String>
    /// Attributes allowed on particular elements, by element.
    var elementAttributes: [String: Set<String>]
    /// Attributes allowed on every allowed element.
    var globalAttributes: Set<String>
    /// Attributes whose values are URLs, with the context whose schemes they may have.
    var urlAttributes: [String: URLPolicy.Context]
    /// Elements removed together with their content.
    var contentDroppingElements: Set<String>
    /// The spelling of attribute names that are not all lower case (SVG's `viewBox`), by
    /// lower-cased name; the tokenizer lower-cases names as HTML does.
    var attributeSpellings: [String: String] = [:]
    /// Whether kept attributes keep single quotes and a space before `=` as written, instead of
    /// the canonical ` name="value"`: KaTeX writes SVG attributes as `width='400em'` and MathML
    /// classes as `class ="mtr-glue"`, and cached KaTeX output must re-serialise byte for byte.
    var keepsAttributeLayout = false

    /// Whether tags of `element` are kept.
    func allowsElement(_ element: String) -> Bool {
        allowedElements.contains(element) && !contentDroppingElements.contains(element)
    }

    /// Whether `attribute` may appear on `element`.
    func allowsAttribute(_ attribute: String, on element: String) -> Bool {
        globalAttributes.contains(attribute) || elementAttributes[element]?.contains(attribute) == true
    }

    /// Whether `element` goes together with its content.
    func dropsContent(of element: String) -> Bool {
        contentDroppingElements.contains(element)
    }

    /// The context for the value of `attribute` if it is a URL.
    func urlContext(of attribute: String) -> URLPolicy.Context? {
        urlAttributes[attribute]
    }

    /// How `attribute` (lower-cased) is written in the output.
    func spelling(of attribute: String) -> String {
        attributeSpellings[attribute] ?? attribute
    }

    /// Whether a `style` value is plain declarations of KaTeX's properties that load nothing, run
    /// nothing and stay in their line.
    ///
    /// Rejects any function (`url(`, `image-set(`, `expression(`, `calc(`), `\` (CSS escapes would
    /// disguise the rest), `@`, `<`, `>`, quotes, `/*` comments, properties KaTeX does not write,
    /// `position` other than `relative`, and viewport units, ignoring case. KaTeX's
    /// `height:1.0833em;vertical-align:-0.25em;` or `color:red` pass.
    static func isSafeStyle(_ declarations: String) -> Bool {
        // Only letters, digits, spaces and `.#%:;,-`: no `(` (url(), expression(), calc()…), no
        // `\` escapes, quotes, comments or at-rules. One pass over the bytes, as every cached
        // formula of every rebuild goes through here.
        var property: [UInt8] = [], value: [UInt8] = []
        var inValue = false
        func declarationIsSafe() -> Bool {
            defer { property.removeAll(keepingCapacity: true); value.removeAll(keepingCapacity: true); inValue = false }
            while property.last == 0x20 { property.removeLast() }
            guard !property.isEmpty else { return value.allSatisfy { $0 == 0x20 } }
            let name = String(decoding: property, as: UTF8.self)
            guard inValue, katexStyleProperties.contains(name) else { return false }
            if name == "position" && String(decoding: value, as: UTF8.self).split(separator: " ") != ["relative"] { return false }
            // No viewport units (vh, vw, vmin, vmax): a length relative to the window, not the line.
            return !zip(value, value.dropFirst()).contains { $0 == UInt8(ascii: "v") && [UInt8(ascii: "h"), UInt8(ascii: "w"), UInt8(ascii: "m")].contains($1) }
        }
        for var byte in declarations.utf8 {
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            switch byte {
            case UInt8(ascii: ";"):
                guard declarationIsSafe() else { return false }
            case UInt8(ascii: ":") where !inValue:
                inValue = true
            case 0x20 where !inValue && property.isEmpty:
                continue
            case 0x61...0x7A, 0x30...0x39, 0x20, UInt8(ascii: "."), UInt8(ascii: "#"), UInt8(ascii: "%"),
                 UInt8(ascii: ","), UInt8(ascii: "-"):
                if inValue { value.append(byte) } else { property.append(byte) }
            default:
                return false
            }
        }
        return declarationIsSafe()
    }

    /// The CSS properties KaTeX 0.16 writes in `style` attributes.
    static let katexStyleProperties: Set<String> = [
        "height", "top", "bottom", "left", "margin", "margin-left", "margin-right", "vertical-align", "width",
        "min-width", "padding-left", "position", "color", "background-color", "text-shadow", "border", "border-color",
        "border-style", "border-width", "border-bottom-width", "border-top-width", "border-right-width",
        "border-right-style",
    ]

    // MARK: - The two policies

    /// Elements whose content is dropped with them in every policy: the raw-text and
    /// RCDATA elements, and those that embed or template other documents.
    private static let dangerousContainers: Set<String> = [
        "script", "style", "iframe", "object", "embed", "applet", "template", "textarea", "title",
        "xmp", "noembed", "noframes", "noscript", "plaintext", "select", "frameset", "frame",
    ]

    /// The attributes of every policy whose values are URLs.
    private static let urlAttributeContexts: [String: URLPolicy.Context] = [
        "href": .href, "action": .href, "formaction": .href, "xlink:href": .href,
        "src": .src, "cite": .src, "longdesc": .src, "background": .src, "poster": .src,
        "codebase": .src, "data": .src, "usemap": .src, "manifest": .src, "icon": .src,
    ]

    /// Raw HTML in notes: GitHub's allowlist (html-pipeline's `SanitizationFilter`).
    ///
    /// No `style`, `class` or `id` (they could forge the site's "verified" badges or equation
    /// anchors) and no event handlers. `svg` and `math` go with their content, as with GitHub.
    static let notes = SanitizerPolicy(
        allowedElements: [
            "h1", "h2", "h3", "h4", "h5", "h6", "br", "b", "i", "strong", "em", "a", "pre", "code",
            "img", "tt", "div", "ins", "del", "sup", "sub", "p", "ol", "ul", "table", "thead",
            "tbody", "tfoot", "blockquote", "dl", "dt", "dd", "kbd", "q", "samp", "var", "hr",
            "ruby", "rt", "rp", "li", "tr", "td", "th", "s", "strike", "summary", "details",
            "caption", "figure", "figcaption", "abbr", "bdo", "cite", "dfn", "mark", "small",
            "span", "time", "wbr",
        ],
        elementAttributes: [
            "a": ["href"],
            "img": ["src", "width", "height", "alt", "title"],
            "blockquote": ["cite"], "del": ["cite"], "ins": ["cite"], "q": ["cite"],
        ],
        globalAttributes: [
            "abbr", "align", "alt", "aria-describedby", "aria-hidden", "aria-label",
            "aria-labelledby", "axis", "border", "cellpadding", "cellspacing", "char", "charoff",
            "clear", "colspan", "color", "compact", "coords", "datetime", "dir", "headers",
            "height", "hreflang", "hspace", "lang", "nowrap", "open", "rel", "rev", "role",
            "rowspan", "rules", "scope", "shape", "size", "span", "start", "summary", "tabindex",
            "title", "type", "valign", "value", "vspace", "width", "itemprop",
        ],
        urlAttributes: urlAttributeContexts,
        contentDroppingElements: dangerousContainers.union(["svg", "math"])
    )

    /// KaTeX 0.16's output for TeX with `trust: false`: HTML spans, MathML and the inline SVG of
    /// stretchy arrows, braces, radicals and `\cancel`, plus `a[href]` for `\href` (URL policy
    /// applies). Used to re-validate cached KaTeX output.
    static let katexOutput: SanitizerPolicy = {
        let mathMLElements = [
            "math", "semantics", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub",
            "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr",
            "mtd", "mlabeledtr", "mstyle", "mpadded", "mphantom", "menclose", "annotation",
        ]
        let mathMLAttributes: Set<String> = [
            "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent",
            "accentunder", "columnalign", "rowspacing", "columnspacing", "columnlines", "rowlines",
            "scriptlevel", "displaystyle", "minsize", "maxsize", "movablelimits", "notation",
            "linethickness", "width", "height", "depth", "voffset", "class", "style", "mathcolor",
            "mathbackground", "mathsize", "largeop", "linebreak", "href",
        ]
        var attributes = Dictionary(uniqueKeysWithValues: mathMLElements.map { ($0, mathMLAttributes) })
        attributes["math"]?.formUnion(["xmlns", "display"])
        attributes["annotation"]?.insert("encoding")
        attributes["span"] = ["class", "style", "aria-hidden"]
        attributes["a"] = ["href"]
        attributes["svg"] = ["xmlns", "width", "height", "viewbox", "preserveaspectratio", "style"]
        attributes["path"] = ["d"]
        attributes["line"] = ["x1", "y1", "x2", "y2", "stroke-width"]
        attributes["rect"] = ["x", "y", "width", "height"]
        attributes["g"] = []
        return SanitizerPolicy(
            allowedElements: Set(attributes.keys),
            elementAttributes: attributes,
            globalAttributes: [],
            urlAttributes: urlAttributeContexts,
            contentDroppingElements: dangerousContainers,
            attributeSpellings: ["viewbox": "viewBox", "preserveaspectratio": "preserveAspectRatio"],
            keepsAttributeLayout: true
        )
    }()
}
