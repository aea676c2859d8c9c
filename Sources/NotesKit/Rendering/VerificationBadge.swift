import Foundation
import NotebookSupport

/// The marks that tie equations to their tests: a badge beside each labelled equation and a
/// summary under each test block.
enum VerificationBadge {
    /// The badge for a labelled equation: verified, failed or unverified, linking to its tests.
    static func badge(_ entry: EquationVerification.Entry, fromPage page: String) -> String {
        let links = entry.tests.enumerated().map { index, test in
            "<a href=\"\(HTML.escapeHref(link(test, fromPage: page)))\" class=\"\(test.passed ? "" : "eq-test-failed")\">test \(index + 1)</a>"
        }.joined(separator: " ")
        switch entry.status {
        case .verified:
            var facts = ["\(entry.tests.count) test\(entry.tests.count == 1 ? "" : "s")",
                         "\(entry.expectations) expectation\(entry.expectations == 1 ? "" : "s")"]
            if let error = entry.maxRelativeError { facts.append("max rel. error \(scientific(error))") }
            return "<span class=\"eq-badge eq-verified\"><span class=\"eq-badge-status\">✓ verified</span> "
                + "<span class=\"eq-badge-facts\">\(facts.joined(separator: " · "))</span> \(links)</span>"
        case .failed:
            let failing = entry.tests.first { !$0.passed }
            let message = failing?.message ?? "a test failed"
            let short = message.count > 90 ? String(message.prefix(88)) + "…" : message
            return "<span class=\"eq-badge eq-failed\" role=\"alert\"><span class=\"eq-badge-status\">✗ failed</span> "
                + "<a href=\"\(HTML.escapeHref(failing.map { link($0, fromPage: page) } ?? ""))\" title=\"\(HTML.escape(message))\">"
                + "\(HTML.escape(short))</a> \(links)</span>"
        case .unverified:
            return "<span class=\"eq-badge eq-unverified\"><span class=\"eq-badge-status\">unverified</span> "
                + "<span class=\"eq-badge-facts\">no test refers to this equation</span></span>"
        }
    }

    /// The line under a test block: the equations it verifies and what its expectations found.
    static func testSummary(_ verdict: NotebookVerdict.CellVerdict, links: (String) -> (href: String, text: String)?) -> String {
        let labels = verdict.cell.options.tests
        guard !labels.isEmpty else { return "" }
        let equations = labels.map { label in
            links(label).map { "<a class=\"eq-ref\" href=\"\(HTML.escapeHref($0.href))\">\(HTML.escape($0.text))</a>" } ?? HTML.escape(label)
        }.joined(separator: ", ")
        let expectations = verdict.expectations
        let held = expectations.filter(\.record.passed).count
        var facts = ["\(held) of \(expectations.count) expectation\(expectations.count == 1 ? "" : "s") held"]
        if let worst = expectations.compactMap(\.record.maxRelativeError).max() { facts.append("max rel. error \(scientific(worst))") }
        return "<p class=\"test-summary\">Tests \(equations) · \(facts.joined(separator: " · "))</p>\n" + failedExpectations(verdict)
    }

    /// The list of a test block's failed expectations, each at its line.
    private static func failedExpectations(_ verdict: NotebookVerdict.CellVerdict) -> String {
        let failed = verdict.expectations.filter { !$0.record.passed }
        guard !failed.isEmpty else { return "" }
        return "<ul class=\"test-failures\">\n" + failed.map { expectation in
            "<li><code>\(HTML.escape(expectation.place))</code>: \(HTML.escape(expectation.record.message))</li>"
        }.joined(separator: "\n") + "\n</ul>\n"
    }

    /// A test block's link from `page`: `#cell-3` on its own page, `backprop.html#cell-3` elsewhere.
    static func link(_ test: EquationVerification.Test, fromPage page: String) -> String {
        (test.page == page ? "" : test.page) + "#" + test.anchor
    }

    static func scientific(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.1e", value)
    }
}
