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

        @OptionGroup var site: SiteOptions

        @Flag(name: .long, help: "Publish the site even when cells fail, with the failed cells marked on their pages.")
        var keepGoing = false

        @Flag(name: .long, help: "Print the seconds each stage of the build took.")
        var timings = false

        func validate() throws {
            try PathChecks.check(notes: common.notes, output: site.output, cache: common.cacheFolder)
        }

        func run() throws {
            var options = common.buildOptions(output: site.output, theme: site.theme, title: site.title)
            options.keepGoing = keepGoing
            let console = Console(quiet: common.quiet)
            if let shard = options.shard {
                console.progress("Running shard \(shard) of \(common.notes)/ (a shard writes no site)")
            } else {
                console.progress("Building \(common.notes)/ → \(site.output)/")
            }
            do {
                let summary = try SiteBuilder(options: options, log: { console.progress($0) }).build()
                summary.warnings.forEach { console.diagnostic($0) }
                summary.failures.forEach { console.diagnostic($0) }
                let time = String(format: "%.2f", summary.seconds)
                if let shard = options.shard {
                    print("Ran shard \(shard): \(summary.cells.summary) in \(time) s; no site written "
                          + "(the final build --require-cache writes it)")
                } else {
                    print("Built \(summary.pages) pages from \(summary.notes) notes, \(summary.equations) display equations "
                      + "(\(summary.mathSpans) formulas, \(summary.mathCached) from cache), \(summary.cells.summary), "
                      + "\(summary.pagesKept) unchanged page\(summary.pagesKept == 1 ? "" : "s") kept in \(time) s → \(site.output)/")
                }
                if timings { print(summary.timings.line) }
                if !summary.failures.isEmpty {
                    console.error("Published with \(summary.failures.count) failure\(summary.failures.count == 1 ? "" : "s") marked on the pages (--keep-going).")
                }
            } catch {
                error.diagnostics.forEach { console.diagnostic($0) }
                let count = error.diagnostics.filter { $0.severity == .error }.count
                console.error("Build failed with \(count) error\(count == 1 ? "" : "s"); \(site.output)/ was left as it was.")
                throw ExitStatus.notesHaveErrors
            }
        }
    }
}
