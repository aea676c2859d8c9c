import Foundation
import NotebookSupport

/// The HTML under a cell's code: its output, charts, tables, and a clear mark when it failed.
enum CellRenderer {
    /// HTML for the verdict of one cell.
    static func render(_ verdict: NotebookVerdict.CellVerdict,
                       equationLinks: (String) -> (href: String, text: String)? = { _ in nil }) -> String {
        let cell = verdict.cell
        if cell.options.live { return live(verdict) }
        var classes = cell.options.tests.isEmpty ? "cell-result" : "cell-result test-block"
        var body = ""
        switch verdict.status {
        case .skipped:
            return ""
        case .notRun:
            classes += " cell-not-run"
            body += "<p class=\"cell-note\">Not run: an earlier cell stopped the note.</p>\n"
        case .passed:
            classes += " cell-passed"
        case .failed(let message):
            classes += " cell-failed"
            body += "<p class=\"cell-failure\" role=\"alert\"><strong>Failed:</strong> \(HTML.escape(message))</p>\n"
        }
        body += VerificationBadge.testSummary(verdict, links: equationLinks)
        if let result = verdict.result, cell.options.showOutput {
            if !verdict.stdout.isEmpty {
                body += "<pre class=\"cell-output\"><code>\(HTML.escape(verdict.stdout))</code></pre>\n"
            }
            if !verdict.stderr.isEmpty {
                body += "<pre class=\"cell-output cell-stderr\"><code>\(HTML.escape(verdict.stderr))</code></pre>\n"
            }
            for rich in result.rich { body += render(rich) }
        }
        if verdict.outputMismatch != nil, let expected = cell.expectedOutput {
            body += "<p class=\"cell-note\">Expected output:</p>\n<pre class=\"cell-output cell-expected\"><code>\(HTML.escape(expected.text))</code></pre>\n"
        }
        guard !body.isEmpty || cell.options.showCode else { return "" }
        return "<div class=\"\(classes)\" id=\"\(HTML.escape(cell.anchor))\">\n" + body + "</div>\n"
    }

    /// A live cell: its widget's figure, or its failure (compile errors shown like a cell's).
    private static func live(_ verdict: NotebookVerdict.CellVerdict) -> String {
        var failure: String?
        if case .failed(let message) = verdict.status { failure = message }
        var html = ""
        if let widget = verdict.widget {
            html += LiveFigure.render(number: widget.number, anchor: verdict.cell.anchor, frame: widget.firstFrame, failure: failure)
        }
        guard let failure else { return html }
        var body = "<p class=\"cell-failure\" role=\"alert\"><strong>Failed:</strong> \(HTML.escape(failure))</p>\n"
        if !verdict.stderr.isEmpty { body += "<pre class=\"cell-output cell-stderr\"><code>\(HTML.escape(verdict.stderr))</code></pre>\n" }
        let id = verdict.widget == nil ? " id=\"\(HTML.escape(verdict.cell.anchor))\"" : "" // the figure has the anchor
        return html + "<div class=\"cell-result cell-failed\"\(id)>\n" + body + "</div>\n"
    }

    private static func render(_ rich: NotebookResult.RichOutput) -> String {
        switch rich {
        case .chart(let json):
            guard let chart = try? JSONDecoder().decode(Chart.self, from: Data(json.utf8)) else {
                return "<p class=\"cell-failure\">The cell sent a chart that could not be read.</p>\n"
            }
            return "<figure class=\"cell-chart\">\n" + ChartSVG.render(chart) + "\n</figure>\n"
        case .images(let json):
            guard let grid = try? JSONDecoder().decode(ImageGrid.self, from: Data(json.utf8)) else {
                return "<p class=\"cell-failure\">The cell sent images that could not be read.</p>\n"
            }
            return ImageGridSVG.render(grid)
        case .expectation:
            return "" // summarised with the cell's verification, see `VerificationBadge`
        case .table(let json):
            guard let table = try? JSONDecoder().decode(Table.self, from: Data(json.utf8)) else {
                return "<p class=\"cell-failure\">The cell sent a table that could not be read.</p>\n"
            }
            var html = "<div class=\"table-wrap\">\n<table class=\"cell-table\">\n<thead>\n<tr>"
            html += table.columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
            for row in table.rows {
                html += "<tr>" + row.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
            }
            return html + "</tbody>\n</table>\n</div>\n"
        }
    }

    /// HTML for an inline value: its canonical text, or the error it raised.
    static func inline(_ value: NotebookVerdict.InlineValue?, expression: String) -> String {
        switch value {
        case .value(let text)?:
            return "<span class=\"inline-value\" title=\"\(HTML.escape(expression))\">\(HTML.escape(text))</span>"
        case .failed(let message)?:
            return "<span class=\"inline-value inline-value-failed\" title=\"\(HTML.escape(message))\">\(HTML.escape(expression)) ⚠</span>"
        case nil:
            return "<code>\(HTML.escape(expression))</code>"
        }
    }
}
