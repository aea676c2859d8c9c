import ArgumentParser
import Foundation
import NotesKit

extension NotesCommand {
    /// `notes build`: run the notes' cells and render every note to the site folder, atomically.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the static site from the notes folder.",
            discussion: """
                Reads every *.md file in the notes folder, compiles and runs its Swift cells, renders \
                math with KaTeX and Swift code with the Swift parser, and writes the site to the output \
                folder. The new site is assembled beside the old one and swapped in only when the whole \
                build succeeds: after a failed build the previous site is untouched. A failed cell fails \
                the build unless --keep-going. Errors are printed as file:line: error: message.
                """)

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: ArgumentHelp("Folder to write the site to (replaced as a whole).", valueName: "dir"))
        var output: String = "site"

        @Option(name: .long, help: ArgumentHelp("Folder of templates/ and assets/ that override the built-in theme file by file.", valueName: "dir"))
        var theme: String?

        @Option(name: .long, help: "Title of the site, shown in the header and page titles.")
        var title: String = "Course Notes"

        @Flag(name: .long, help: "Publish the site even when cells fail, with the failed cells marked on their pages.")
        var keepGoing = false

        func validate() throws {
            try PathChecks.check(notes: common.notes, output: output, cache: common.cacheFolder)
        }

        func run() throws {
            var options = common.buildOptions(output: output, theme: theme, title: title)
            options.keepGoing = keepGoing
            let console = Console(quiet: common.quiet)
            console.progress("Building \(common.notes)/ → \(output)/")
            do {
                let summary = try SiteBuilder(options: options, log: { console.progress($0) }).build()
                summary.warnings.forEach { console.diagnostic($0) }
                summary.failures.forEach { console.diagnostic($0) }
                let time = String(format: "%.2f", summary.seconds)
                print("Built \(summary.pages) pages from \(summary.notes) notes, \(summary.equations) display equations "
                      + "(\(summary.mathSpans) formulas, \(summary.mathCached) from cache), \(summary.cells.summary) in \(time) s → \(output)/")
                if !summary.failures.isEmpty {
                    console.error("Published with \(summary.failures.count) failure\(summary.failures.count == 1 ? "" : "s") marked on the pages (--keep-going).")
                }
            } catch {
                error.diagnostics.forEach { console.diagnostic($0) }
                let count = error.diagnostics.filter { $0.severity == .error }.count
                console.error("Build failed with \(count) error\(count == 1 ? "" : "s"); \(output)/ was left as it was.")
                throw ExitStatus.notesHaveErrors
            }
        }
    }
}
