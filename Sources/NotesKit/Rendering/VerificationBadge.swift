import Foundation
import NotebookSupport

/// The marks that tie equations to their tests: a badge beside each labelled equation and a
/// summary under each test block.
enum VerificationBadge {
    /// The badge for a labelled equation: verified, failed or unverified, linking to its tests.
    static func badge(_ entry: EquationVerification.Entry, fromPage page: String) -> String {
        let links = entry.tests.enumerated().map { index, test in
            "<a href=\"\(HTML.escapeHref(local(test.href, page: page)))\" class=\"\(test.passed ? "" : "eq-test-failed")\">test \(index + 1)</a>"
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
                + "<a href=\"\(HTML.escapeHref(local(failing?.href ?? "", page: page)))\" title=\"\(HTML.escape(message))\">"
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
        let expectations = verdict.result?.expectations ?? []
        let held = expectations.filter(\.passed).count
        var facts = ["\(held) of \(expectations.count) expectation\(expectations.count == 1 ? "" : "s") held"]
        if let worst = expectations.compactMap(\.maxRelativeError).max() { facts.append("max rel. error \(scientific(worst))") }
        var html = "<p class=\"test-summary\">Tests \(equations) · \(facts.joined(separator: " · "))</p>\n"
        let failed = expectations.filter { !$0.passed }
        if !failed.isEmpty {
            html += "<ul class=\"test-failures\">\n" + failed.map {
                "<li><code>\(HTML.escape($0.location))</code>: \(HTML.escape($0.message))</li>"
            }.joined(separator: "\n") + "\n</ul>\n"
        }
        return html
    }

    /// `backprop.html#cell-3` as seen from `backprop.html` is `#cell-3`.
    private static func local(_ href: String, page: String) -> String {
        href.hasPrefix(page + "#") ? String(href.dropFirst(page.count)) : href
    }

    static func scientific(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.1e", value)
    }
}
