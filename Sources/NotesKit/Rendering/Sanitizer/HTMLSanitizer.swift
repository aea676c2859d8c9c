/// Cleans one raw HTML fragment against a ``SanitizerPolicy``, as GitHub sanitises comments.
///
/// Allowed tags are written again canonically: the lower-case name, each kept attribute as
/// ` name="value"` with its value decoded, checked and escaped by ``HTML/escapeAttributeValue(_:)``
/// (duplicates dropped, as browsers keep only the first), and `/>` where the tag had it; the
/// KaTeX policy keeps single quotes and `name ="…"` as written (see
/// ``SanitizerPolicy/keepsAttributeLayout``). Tags that are not allowed are removed and their text kept;
/// content-dropping elements (`script`, `style`, …) are removed with everything up to their end
/// tag in the fragment, or to its end if it has none. Comments, declarations, processing
/// instructions and CDATA sections are removed. Text passes through
/// ``HTML/escapeFragmentText(_:)``, so a stray `<` or `&` shows as itself.
///
/// Each call is independent: the fragment is one `html_block` or `html_inline` literal, or one
/// piece of cached KaTeX output. Tags are not balanced across fragments.
struct HTMLSanitizer: Sendable {
    /// What the sanitizer keeps.
    let policy: SanitizerPolicy

    /// The cleaned HTML and what was taken out of it.
    struct Sanitized: Equatable, Sendable {
        var html: String
        /// Short descriptions for the author, each once, in order of first appearance, at most
        /// 20 then "…and more": "the onerror attribute of <img>", "the <script> element and its
        /// content", "the href of <a> (javascript: is not an allowed scheme)". Comments are removed
        /// without a description.
        var removed: [String]
    }

    /// `fragment` with everything the policy does not allow taken out.
    func sanitize(_ fragment: String) -> Sanitized {
        var unbalanced: [String]?
        return sanitize(fragment, openElements: &unbalanced)
    }

    /// `fragment` sanitised as one piece of a longer run of raw HTML whose open elements are
    /// `openElements` (innermost last): an end tag closes the elements opened after its own
    /// (writing their end tags), and one that closes nothing open is removed, so raw HTML can
    /// never close the page's own elements. The caller closes what is left open (`closing(_:)`).
    func sanitize(_ fragment: String, openElements: inout [String]) -> Sanitized {
        var stack: [String]? = openElements
        defer { openElements = stack ?? [] }
        return sanitize(fragment, openElements: &stack)
    }

    /// The end tags that close `openElements`, innermost first.
    static func closing(_ openElements: [String]) -> String {
        openElements.reversed().map { "</\($0)>" }.joined()
    }

    private func sanitize(_ fragment: String, openElements: inout [String]?) -> Sanitized {
        var output = ""
        output.reserveCapacity(fragment.utf8.count)
        var removals = Removals()
        var dropping: DroppedElement?
        for token in HTMLTokenizer.tokens(in: fragment) {
            if let element = dropping {
                dropping = element.after(token)
                continue
            }
            switch token {
            case .text(let text):
                output += HTML.escapeFragmentText(text)
            case .startTag(let tag):
                if policy.dropsContent(of: tag.name) {
                    dropping = DroppedElement(tag)
                    removals.note("the <\(Self.shown(tag.name))> element" + (dropping == nil ? "" : " and its content"))
                } else if policy.allowsElement(tag.name) {
                    output += serialize(tag, removals: &removals)
                    if !tag.isSelfClosing && !Self.voidElements.contains(tag.name) { openElements?.append(tag.name) }
                } else {
                    removals.note("the <\(Self.shown(tag.name))> element")
                }
            case .endTag(let name):
                if policy.allowsElement(name), openElements != nil {
                    if let position = openElements!.lastIndex(of: name) {
                        output += Self.closing(Array(openElements![position...]))
                        openElements!.removeSubrange(position...)
                    } else {
                        removals.note("a </\(Self.shown(name))> that closes nothing opened in the note")
                    }
                } else if policy.allowsElement(name) {
                    output += "</\(name)>"
                } else {
                    removals.note("the <\(Self.shown(name))> element")
                }
            case .comment:
                break // removed without a word: hiding text is what an author writes a comment for
            case .otherMarkup(.declaration, _):
                removals.note("a <!…> declaration")
            case .otherMarkup(.processingInstruction, _):
                removals.note("a <?…> processing instruction")
            case .otherMarkup(.cdata, _):
                removals.note("a CDATA section")
            }
        }
        return Sanitized(html: output, removed: removals.descriptions)
    }

    /// Whether sanitising `html` changes nothing and its tags are balanced: how cached KaTeX
    /// output is re-validated.
    ///
    /// Balanced: every start tag that is neither void nor closed with `/>` is closed by its own
    /// end tag, innermost first, within `html`, as KaTeX's output always is; so a poisoned cache
    /// cannot leave an element open over the rest of the page, or close the page's own.
    func accepts(_ html: String) -> Bool {
        let sanitized = sanitize(html)
        return sanitized.removed.isEmpty && sanitized.html == html && Self.tagsAreBalanced(in: html)
    }

    /// Whether the start and end tags of `html` pair up, as ``accepts(_:)`` requires.
    private static func tagsAreBalanced(in html: String) -> Bool {
        var open: [String] = []
        for token in HTMLTokenizer.tokens(in: html) {
            switch token {
            case .startTag(let tag) where !tag.isSelfClosing && !voidElements.contains(tag.name):
                open.append(tag.name)
            case .endTag(let name):
                guard open.last == name else { return false }
                open.removeLast()
            default:
                break
            }
        }
        return open.isEmpty
    }

    /// An allowed start tag with the attributes the policy keeps.
    private func serialize(_ tag: HTMLTokenizer.Tag, removals: inout Removals) -> String {
        var html = "<" + tag.name
        var seen = Set<String>()
        for attribute in tag.attributes {
            let name = attribute.name
            guard seen.insert(name).inserted else {
                removals.note("a second \(Self.shown(name)) attribute of <\(tag.name)>")
                continue
            }
            guard policy.allowsAttribute(name, on: tag.name) else {
                removals.note("the \(Self.shown(name)) attribute of <\(tag.name)>")
                continue
            }
            let value: String
            switch attribute.decodedValue() {
            case .value(let decoded):
                value = decoded
            case .undecodable(let reference):
                removals.note("the \(name) of <\(tag.name)> (\(Self.shown(reference)) is a character reference "
                              + "that cannot be checked)")
                continue
            }
            if let context = policy.urlContext(of: name),
               case .disallowedScheme(let scheme) = URLPolicy.verdict(for: value, in: context) {
                removals.note("the \(name) of <\(tag.name)> (\(Self.shown(scheme)): is not an allowed scheme)")
                continue
            }
            if name == "style", !SanitizerPolicy.isSafeStyle(value) {
                removals.note("the style of <\(tag.name)> (it may load or run something)")
                continue
            }
            html += " " + policy.spelling(of: name)
            let quote = policy.keepsAttributeLayout && attribute.quoting == .singleQuoted ? "'" : "\""
            let equals = policy.keepsAttributeLayout && attribute.hasSpaceBeforeEquals ? " =" : "="
            html += equals + quote + HTML.escapeAttributeValue(value) + quote
        }
        return html + (tag.isSelfClosing ? "/>" : ">")
    }
}

extension HTMLSanitizer {
    /// HTML's void elements, which have no content and no end tag.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr", "keygen",
    ]

    /// A name from the fragment as a description shows it: controls as their pictures, and at most
    /// 40 characters.
    fileprivate static func shown(_ name: String) -> String {
        let visible = ControlCharacters.visible(name)
        return visible.count <= 40 ? visible : visible.prefix(39) + "…"
    }

    /// The removal descriptions of one fragment, each once, in order; at most `limit` of them.
    fileprivate struct Removals {
        static let limit = 20
        private(set) var descriptions: [String] = []
        private var seen: Set<String> = []

        mutating func note(_ description: String) {
            guard descriptions.count <= Self.limit, seen.insert(description).inserted else { return }
            descriptions.append(descriptions.count == Self.limit ? "…and more" : description)
        }
    }

    /// A content-dropping element being skipped, up to its end tag.
    fileprivate struct DroppedElement: Equatable {
        /// Elements whose content browsers read as text up to the first matching end tag, so
        /// nested start tags of the same name do not nest.
        private static let rawTextElements: Set<String> = [
            "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
        ]
        /// SVG and MathML roots, where `/>` really does close the element.
        private static let foreignRoots: Set<String> = ["svg", "math"]

        let name: String
        private var depth = 1

        /// Starts skipping at `tag`, or nil when the tag has no content (a void or closed foreign element).
        init?(_ tag: HTMLTokenizer.Tag) {
            if HTMLSanitizer.voidElements.contains(tag.name) { return nil }
            if tag.isSelfClosing, Self.foreignRoots.contains(tag.name) { return nil }
            name = tag.name
        }

        /// What is still being skipped after `token`: nil once the element's end tag is reached.
        /// `<plaintext>` has no end tag, so it drops the rest of the fragment.
        func after(_ token: HTMLTokenizer.Token) -> DroppedElement? {
            var next = self
            switch token {
            case .startTag(let tag) where tag.name == name && !Self.rawTextElements.contains(name):
                if !(tag.isSelfClosing && Self.foreignRoots.contains(name)) { next.depth += 1 }
            case .endTag(let endName) where endName == name && name != "plaintext":
                next.depth -= 1
            default:
                break
            }
            return next.depth == 0 ? nil : next
        }
    }
}
