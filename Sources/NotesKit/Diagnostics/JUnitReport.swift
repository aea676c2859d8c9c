import Foundation

/// A JUnit XML report of a check: one test suite per note, one test case per cell.
enum JUnitReport {
    /// The XML for the verdicts of `notes` (in the order given).
    static func xml(notes: [Note], verdicts: [String: NotebookVerdict], seconds: Double) -> String {
        var suites = ""
        var total = 0, failed = 0, skipped = 0
        for note in notes {
            guard let verdict = verdicts[note.slug], !verdict.cells.isEmpty else { continue }
            var cases = ""
            var noteFailed = 0, noteSkipped = 0
            for cell in verdict.cells {
                let tests = cell.cell.options.tests
                let base = tests.isEmpty ? (cell.cell.options.id ?? "cell \(cell.cell.index + 1)") : "test of " + tests.joined(separator: ", ")
                let name = "\(base) (line \(cell.cell.firstLine))"
                cases += "    <testcase classname=\"\(attribute(note.file))\" name=\"\(attribute(name))\" file=\"\(attribute(note.file))\" line=\"\(cell.cell.firstLine)\">"
                switch cell.status {
                case .passed:
                    break
                case .failed(let message):
                    noteFailed += 1
                    let output = cell.output
                    cases += "\n      <failure message=\"\(attribute(message))\">\(text(cell.cell.code + (output.isEmpty ? "" : "\n--- output\n" + output)))</failure>\n    "
                case .notRun:
                    noteSkipped += 1
                    cases += "<skipped message=\"not run: an earlier cell stopped the note\"/>"
                case .skipped:
                    noteSkipped += 1
                    cases += "<skipped message=\"no-run\"/>"
                }
                cases += "</testcase>\n"
            }
            total += verdict.cells.count
            failed += noteFailed
            skipped += noteSkipped
            suites += "  <testsuite name=\"\(attribute(note.file))\" tests=\"\(verdict.cells.count)\" failures=\"\(noteFailed)\" errors=\"0\" skipped=\"\(noteSkipped)\">\n"
                + cases + "  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"notes check\" tests=\"\(total)\" failures=\"\(failed)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(String(format: "%.3f", seconds))\">\n"
            + suites + "</testsuites>\n"
    }

    private static func attribute(_ value: String) -> String {
        HTML.escape(value).replacingOccurrences(of: "\n", with: "&#10;")
    }

    private static func text(_ value: String) -> String {
        HTML.escape(value)
    }
}
