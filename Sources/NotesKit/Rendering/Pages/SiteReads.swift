import Foundation
import Mustache

/// The site's facts as a note page's templates see them, recording which ones they read.
///
/// A theme may show any fact of the site on a note page (the built-in one shows the title and
/// whether there is a verification report). Only what a page's templates read belongs to the
/// page: a page that never shows the number of equations stays the same page when one is
/// added. The page cache stores each fact read (`site NAME`) with its value and asks again on
/// the next build (`PageCache`, `CourseReads`).
final class SiteReads: MustacheParent, CustomStringConvertible, @unchecked Sendable {
    private let site: SiteInfo
    private let fields: TemplateValue?
    private let lock = NSLock()
    private var read: [String: String] = [:]

    init(_ site: SiteInfo) {
        self.site = site
        fields = TemplateValue.wrap(site) as? TemplateValue
    }

    func child(named name: String) -> Any? {
        let value = fields?.child(named: name)
        lock.withLock { read["site " + name] = value.map { "\($0)" } ?? "\u{0}" }
        return value
    }

    /// Printed whole (`{{site}}`): the page reads every fact.
    var description: String {
        lock.withLock { read["site *"] = site.cacheText }
        return String(describing: site)
    }

    /// Each fact read, as a question with its answer.
    var answers: [String: String] { lock.withLock { read } }

    /// Today's answer to a question asked before (`site NAME` or `site *`).
    func answer(_ question: String) -> String {
        if question == "site *" { _ = description } else { _ = child(named: String(question.dropFirst("site ".count))) }
        return lock.withLock { read[question] ?? "\u{0}" }
    }
}
