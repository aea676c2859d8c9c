import ArgumentParser
import Foundation
import NotesKit

extension DiagnosticFormatter.Style: ExpressibleByArgument {}

extension NotesCommand {
    /// `notes check`: run every note's cells and report failures, publishing nothing.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every note's cells and check their outputs, for CI.",
            discussion: """
                Does what build does up to rendering: reads the notes, resolves references, runs every \
                Swift cell (from the cache when nothing it depends on changed), compares outputs and \
                checks every test block (```swift test=eq-…). Nothing is written to the site. Exits \
                with 1 when a cell or test fails, an expected output differs or an expect= is not met \
                (with --require-verified also when a labelled equation has no test), printing each \
                failure as file:line: error: message with the cell's code and output.
                """)

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: "How to print failures: text (compiler style) or github (GitHub Actions annotations).")
        var format: DiagnosticFormatter.Style = .text

        @Option(name: .long, help: ArgumentHelp("Also write a JUnit XML report (one test case per cell) to this file.", valueName: "file"))
        var junit: String?

        @Flag(name: .long, help: "Also fail on every labelled equation that no test block verifies, reported at the equation's line.")
        var requireVerified = false

        func validate() throws {
            try PathChecks.check(notes: common.notes, cache: common.cacheFolder, junit: junit)
        }

        func run() throws {
            let console = Console(quiet: common.quiet, style: format)
            console.progress("Checking \(common.notes)/")
            let report: NotesChecker.Report
            do {
                report = try NotesChecker(options: common.buildOptions(), log: { console.progress($0) })
                    .check(requireVerified: requireVerified)
            } catch {
                error.diagnostics.forEach { console.diagnostic($0) }
                console.error("Check failed with \(error.diagnostics.filter { $0.severity == .error }.count) error(s) in the notes.")
                throw ExitStatus.notesHaveErrors
            }
            report.warnings.forEach { console.diagnostic($0) }
            report.failures.forEach { console.diagnostic($0) }
            if let junit {
                let xml = report.junitXML()
                do {
                    try ReportFile.write(Data(xml.utf8), to: URL(fileURLWithPath: junit))
                } catch {
                    console.error("cannot write \(junit): \(error.localizedDescription)")
                    throw ExitStatus.notesHaveErrors
                }
            }
            let time = String(format: "%.2f", report.seconds)
            print("Checked \(report.noteCount) notes: \(report.cells.summary)\(report.equationSummary) in \(time) s")
            if !report.failures.isEmpty { throw ExitStatus.notesHaveErrors }
        }
    }
}
