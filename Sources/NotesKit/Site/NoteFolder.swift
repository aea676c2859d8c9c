import Foundation

/// Reads every note of a notes folder, in site order.
struct NoteFolder {
    let options: BuildOptions
    let log: @Sendable (String) -> Void

    /// Loads all `*.md` files; every file's errors are collected before failing.
    func load(warnings: inout [Diagnostic]) throws(DiagnosticsError) -> [Note] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.notes.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil,
                                           "cannot read the notes folder: no such folder (use --notes DIR)")])
        }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: options.notes, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "md" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil,
                                           "cannot read the notes folder: \(error.localizedDescription)")])
        }
        if files.isEmpty {
            throw DiagnosticsError([.error(options.displayPath(options.notes), line: nil, "no .md notes in this folder")])
        }
        // Files load on every core; results, warnings and errors are gathered in file order.
        let (options, log) = (options, log)
        let loaded = SiteBuilder.concurrentMap(count: files.count, started: { log("  reading \(options.displayPath(files[$0]))") }) {
            index -> (note: Result<Note, DiagnosticsError>, warnings: [Diagnostic]) in
            var warnings: [Diagnostic] = []
            let url = files[index]
            do throws(DiagnosticsError) {
                let note = try NoteLoader.load(url, file: options.displayPath(url), warnings: &warnings)
                return (.success(note), warnings)
            } catch {
                return (.failure(error), warnings)
            }
        }
        var notes: [Note] = []
        var errors: [Diagnostic] = []
        for (result, noteWarnings) in loaded {
            warnings += noteWarnings
            switch result {
            case .success(let note): notes.append(note)
            case .failure(let error): errors += error.diagnostics
            }
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        return NoteOrder.sorted(notes)
    }
}
