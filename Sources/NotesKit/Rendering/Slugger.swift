/// Makes stable, unique `id` slugs for headings, GitHub style.
///
/// Lowercases, keeps letters, digits, `-` and `_`, turns spaces into `-`, drops other
/// punctuation, and numbers repeats (`intro`, `intro-1`, …) within one page.
struct Slugger: Sendable {
    private var seen: [String: Int] = [:]

    init() {}

    /// The slug for `text`, unique among the slugs this slugger has made.
    mutating func slug(for text: String) -> String {
        var base = Self.slugify(text)
        if base.isEmpty { base = "section" }
        if let count = seen[base] {
            var candidate = "\(base)-\(count)"
            var next = count
            while seen[candidate] != nil {
                next += 1
                candidate = "\(base)-\(next)"
            }
            seen[base] = next + 1
            seen[candidate] = 1
            return candidate
        }
        seen[base] = 1
        return base
    }

    /// The slug of `text` without de-duplication.
    static func slugify(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character == " " || character == "\t" || character == "\n" {
                out.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                out.append(character)
            }
        }
        return out
    }
}
