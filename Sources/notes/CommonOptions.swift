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

    @Option(name: .long, help: ArgumentHelp("A shared cache server speaking Bazel's HTTP cache protocol (nginx with WebDAV, bazel-remote, …): cell results and typeset math are looked up there after the local cache, and uploaded after a run. Default: $NOTES_REMOTE_CACHE. Credentials come from $NOTES_REMOTE_CACHE_TOKEN (bearer) or $NOTES_REMOTE_CACHE_BASIC_AUTH (user:password), never from the URL.", valueName: "url"))
    var remoteCache: String?

    @Flag(name: .long, help: "Look results up on the remote cache but upload nothing (for pull requests from forks). Does nothing without a remote cache.")
    var remoteCacheReadOnly = false

    @Option(name: .long, help: ArgumentHelp("Run only part i of n of the notes' cells (1-based), filling the cache; no site is written and no math typeset. Notes are split by the run times the last unsharded build recorded.", valueName: "i/n"))
    var shard: String?

    @Flag(name: .long, help: "Take every note's results from the caches and run no cell: fail, naming the notes, on any miss (the merge step after --shard runs).")
    var requireCache = false

    mutating func validate() throws {
        if let shard, case .failure(let error) = Shard.parse(shard) { throw ValidationError(error.description) }
        if shard != nil && requireCache { throw ValidationError("--shard runs cells and --require-cache runs none: use one") }
        if noCache && (requireCache || shard != nil || remoteCache != nil) {
            throw ValidationError("--no-cache cannot be combined with --remote-cache, --shard or --require-cache")
        }
        do {
            _ = try RemoteCacheOptions.resolve(flag: remoteCache, readOnly: remoteCacheReadOnly)
        } catch {
            throw ValidationError("\(error)")
        }
    }

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
        options.remoteCache = noCache ? nil : try? RemoteCacheOptions.resolve(flag: remoteCache, readOnly: remoteCacheReadOnly)
        options.shard = shard.flatMap { try? Shard.parse($0).get() }
        options.requireCache = requireCache
        return options
    }
}
