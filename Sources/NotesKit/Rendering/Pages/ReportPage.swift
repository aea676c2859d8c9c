/// The verification report: every labelled equation of every note with its status and evidence.
enum ReportPage {
    static func context(_ verification: EquationVerification, site: SiteInfo, title: String) -> ReportPageContext {
        let rows = verification.entries.map { entry in
            let failing = entry.tests.first { !$0.passed }
            return ReportRow(noteTitle: entry.noteTitle, noteHref: entry.page,
                             equationHref: entry.page + "#" + entry.label, displayName: entry.displayName, label: entry.label,
                             status: entry.status.rawValue, failure: failing?.message,
                             failureHref: failing.map { VerificationBadge.link($0, fromPage: "verification.html") },
                             tests: entry.tests.count, expectations: entry.expectations,
                             maxError: entry.maxRelativeError.map(VerificationBadge.scientific) ?? "—")
        }
        return ReportPageContext(site: site, pageTitle: "Verification report · \(title)", rows: rows,
                                 verified: verification.verifiedCount, failed: verification.failedCount,
                                 unverified: verification.unverifiedCount)
    }
}
