import ArgumentParser
import Foundation
import NotesKit

extension NotesCommand {
    /// `notes build`: render every note to the site folder, atomically.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the static site from the notes folder.",
            discussion: """
                Reads every *.md file in the notes folder, renders math with KaTeX and Swift code with \
                the Swift parser, and writes the site to the output folder. The new site is assembled \
                beside the old one and swapped in only when the whole build succeeds: after a failed \
                build the previous site is untouched. Errors are printed as file:line: error: message.
                """)

        @Option(name: .long, help: ArgumentHelp("Folder of Markdown notes.", valueName: "dir"))
        var notes: String = "notes"

        @Option(name: .long, help: ArgumentHelp("Folder to write the site to (replaced as a whole).", valueName: "dir"))
        var output: String = "site"

        @Option(name: .long, help: ArgumentHelp("Folder of templates/ and assets/ that override the built-in theme file by file.", valueName: "dir"))
        var theme: String?

        @Option(name: .long, help: "Title of the site, shown in the header and page titles.")
        var title: String = "Course Notes"

        @Option(name: .long, help: ArgumentHelp("Folder for typeset math kept between builds (default: .notes-cache beside the notes folder).", valueName: "dir"))
        var cache: String?

        @Flag(name: .long, help: "Typeset every formula anew, ignoring and not writing the cache.")
        var noCache = false

        @Flag(name: .shortAndLong, help: "Print only errors, warnings and the summary line.")
        var quiet = false

        func run() throws {
            let notesURL = URL(fileURLWithPath: notes)
            let cacheURL = noCache ? nil : cache.map { URL(fileURLWithPath: $0) } ?? BuildOptions.defaultCache(for: notesURL)
            let options = BuildOptions(notes: notesURL, output: URL(fileURLWithPath: output),
                                       theme: theme.map { URL(fileURLWithPath: $0) }, title: title, cache: cacheURL)
            let console = Console(quiet: quiet)
            let builder = SiteBuilder(options: options, log: { console.progress($0) })
            console.progress("Building \(notes)/ → \(output)/")
            do {
                let summary = try builder.build()
                summary.warnings.forEach(console.diagnostic)
                let time = String(format: "%.2f", summary.seconds)
                print("Built \(summary.pages) pages from \(summary.notes) notes, \(summary.equations) display equations "
                      + "(\(summary.mathSpans) formulas, \(summary.mathCached) from cache) in \(time) s → \(output)/")
            } catch {
                error.diagnostics.forEach(console.diagnostic)
                let count = error.diagnostics.filter { $0.severity == .error }.count
                console.error("Build failed with \(count) error\(count == 1 ? "" : "s"); \(output)/ was left as it was.")
                throw ExitStatus.notesHaveErrors
            }
        }
    }
}
