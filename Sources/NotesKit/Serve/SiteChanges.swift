/// Which files of the served site the open pages have not yet been told about.
///
/// Each build reports the files it published and those it wrote rather than linked from the
/// site before (`SitePublisher.Published`). A build the pages are not told of (superseded by a
/// newer change) still changed the site, so its files wait for the next announcement.
struct SiteChanges: Sendable, Equatable {
    /// The files of the site as the pages were last told of it, by site-relative path.
    private var announced: Set<String> = []
    /// The files of the latest build.
    private var latest: Set<String> = []
    /// Files written by builds since the last announcement.
    private var untold: Set<String> = []

    /// Changes to a site that holds `served` (site-relative paths) before the first build: the
    /// pages that are open on it hear about those files that are gone, even if builds fail first.
    init(served: [String] = []) {
        announced = Set(served)
        latest = announced
    }

    /// Records a published build: all its `files`, and the ones `written` anew.
    mutating func built(files: [String], written: [String]) {
        untold.formUnion(written)
        latest = Set(files)
    }

    /// What to tell the pages now: the files that changed and those gone since the last time.
    mutating func announce() -> (changed: [String], removed: [String]) {
        let news = (changed: untold.intersection(latest).sorted(), removed: announced.subtracting(latest).sorted())
        (announced, untold) = (latest, [])
        return news
    }
}
