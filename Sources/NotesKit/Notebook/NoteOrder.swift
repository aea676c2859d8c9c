/// The course's order of notes, for the index and previous/next links: by category, then
/// `order`, then title.
enum NoteOrder {
    static let uncategorised = "Notes"

    /// Categories sort by the smallest `order` among their notes, then by name.
    static func sorted(_ notes: [Note]) -> [Note] {
        var categoryRank: [String: Int] = [:]
        for note in notes {
            let category = note.frontMatter.category ?? uncategorised
            categoryRank[category] = min(categoryRank[category] ?? Int.max, note.frontMatter.order ?? Int.max)
        }
        // The keys are gathered once and positions sorted, rather than notes: a note is a large value.
        let keys = notes.map { note in
            let category = note.frontMatter.category ?? uncategorised
            return (rank: categoryRank[category]!, category: category, order: note.frontMatter.order ?? Int.max,
                    title: note.frontMatter.title, slug: note.slug)
        }
        let positions = keys.indices.sorted { i, j in
            let (a, b) = (keys[i], keys[j])
            if a.category != b.category { return a.rank != b.rank ? a.rank < b.rank : a.category < b.category }
            if a.order != b.order { return a.order < b.order }
            if a.title != b.title { return a.title < b.title }
            return a.slug < b.slug
        }
        return positions.map { notes[$0] }
    }
}
