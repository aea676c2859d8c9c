import ArgumentParser
import Foundation
import NotesKit

/// The `notes` command: turns Markdown derivation notes into a checked static site.
@main
struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "Turn Markdown derivation notes into a static website.",
        discussion: """
            Notes are Markdown files (GitHub-flavoured, parsed by cmark-gfm) with YAML front matter, \
            TeX math ($…$, $$…$$, ```math), labelled equations ({#eq-name}) and references (@eq-name). \
            See notes/authoring.md for the full syntax.

            Exit status: 0 on success, 1 when the notes have errors, 2 on usage errors, 130 or 143 \
            when stopped by SIGINT or SIGTERM (every cell is killed and the site left as it was).
            """,
        subcommands: [Build.self, Check.self, Serve.self],
        defaultSubcommand: nil
    )

    /// Runs the command with exit status 2 for usage errors (ArgumentParser's default is 64).
    static func main() {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitStatus {
            Foundation.exit(exit.code)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Ends the process with a status, after the command has printed its own diagnostics.
struct ExitStatus: Error {
    var code: Int32
    static let notesHaveErrors = ExitStatus(code: 1)
}
