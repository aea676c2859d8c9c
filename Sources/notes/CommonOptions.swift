import ArgumentParser
import Foundation
import NotesKit

/// Options that `build` and `check` share: where the notes and the cache are, and how to talk.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of Markdown notes.", valueName: "dir"))
    var notes: String = "notes"

    @Option(name: .long, help: ArgumentHelp("Folder for results kept between builds: typeset math and cell results (default: .notes-cache beside the notes folder).", valueName: "dir"))
    var cache: String?

    @Flag(name: .long, help: "Run every cell and typeset every formula anew, ignoring and not writing the cache.")
    var noCache = false

    @Flag(name: .long, help: "Run cells without the bubblewrap sandbox (with its limits only): for notes you trust, never for pull requests.")
    var noSandbox = false

    @Flag(name: .shortAndLong, help: "Print only errors, warnings and the summary line.")
    var quiet = false

    /// The cache folder in use, nil with --no-cache.
    var cacheFolder: String? {
        noCache ? nil : cache ?? BuildOptions.defaultCache(for: URL(fileURLWithPath: notes)).path
    }

    /// The build options these flags describe.
    func buildOptions(output: String = "site", theme: String? = nil, title: String = "Course Notes") -> BuildOptions {
        let notesURL = URL(fileURLWithPath: notes)
        let cacheURL = noCache ? nil : cache.map { URL(fileURLWithPath: $0) } ?? BuildOptions.defaultCache(for: notesURL)
        var options = BuildOptions(notes: notesURL, output: URL(fileURLWithPath: output),
                                   theme: theme.map { URL(fileURLWithPath: $0) }, title: title, cache: cacheURL)
        options.sandboxed = !noSandbox
        return options
    }
}
