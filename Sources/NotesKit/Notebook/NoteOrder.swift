/// The course's order of notes, for the index and previous/next links: by category, then
/// `order`, then title.
enum NoteOrder {
    static let uncategorised = "Notes"

    /// Categories sort by the smallest `order` among their notes, then by name.
    static func sorted(_ notes: [Note]) -> [Note] {
        var categoryRank: [String: (Int, String)] = [:]
        for note in notes {
            let category = note.frontMatter.category ?? uncategorised
            let order = note.frontMatter.order ?? Int.max
            let current = categoryRank[category]?.0 ?? Int.max
            categoryRank[category] = (min(current, order), category)
        }
        return notes.sorted { a, b in
            let ca = a.frontMatter.category ?? uncategorised, cb = b.frontMatter.category ?? uncategorised
            if ca != cb {
                let ra = categoryRank[ca]!, rb = categoryRank[cb]!
                return ra.0 != rb.0 ? ra.0 < rb.0 : ra.1 < rb.1
            }
            let oa = a.frontMatter.order ?? Int.max, ob = b.frontMatter.order ?? Int.max
            if oa != ob { return oa < ob }
            if a.frontMatter.title != b.frontMatter.title { return a.frontMatter.title < b.frontMatter.title }
            return a.slug < b.slug
        }
    }
}
