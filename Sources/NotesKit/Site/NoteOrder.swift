/// The order of notes on the index and in previous/next links: by category, then `order`, then title.
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

    static func link(_ note: Note) -> NoteLink {
        NoteLink(href: note.href, id: note.frontMatter.id ?? "", title: note.frontMatter.title,
                 category: note.frontMatter.category ?? uncategorised, summary: note.frontMatter.summary ?? "",
                 readingMinutes: note.readingMinutes)
    }

    /// Groups already-sorted links by category, keeping their order.
    static func categories(_ links: [NoteLink]) -> [CategoryGroup] {
        var groups: [CategoryGroup] = []
        for link in links {
            if groups.last?.name == link.category {
                groups[groups.count - 1].notes.append(link)
            } else {
                groups.append(CategoryGroup(name: link.category, anchor: Slugger.slugify(link.category), notes: [link]))
            }
        }
        return groups
    }
}
