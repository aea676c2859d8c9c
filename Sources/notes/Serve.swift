import ArgumentParser
import Foundation
import NotesKit

extension NotesCommand {
    /// `notes serve`: build, serve on loopback, and rebuild on every change, with the pages following.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the site, serve it, and rebuild it as the notes change.",
            discussion: """
                Builds like 'notes build', serves the site over HTTP (on 127.0.0.1 unless --host), \
                prints its address, and watches the notes folder (with its data files), the theme \
                and the engine's sources. Each change rebuilds what it affects, with the caches of \
                'notes build': a prose edit runs no cell. Open pages reload themselves at their \
                scroll position; a failed build keeps the last good site and shows its errors on \
                every open page. Stop with Ctrl-C.
                """)

        @OptionGroup var common: CommonOptions

        @OptionGroup var site: SiteOptions

        @Option(name: .long, help: "Port to serve on (0: any free port).")
        var port: UInt16 = 8000

        @Option(name: .long, help: "Address to serve on. Other machines can reach anything but loopback: use with care.")
        var host: String = "127.0.0.1"

        @Flag(name: .long, help: "Open the site in the default browser (xdg-open).")
        var open = false

        @Flag(name: .long, help: "Watch by scanning the folders every 300 ms instead of inotify (network mounts, or when the watch limit is reached).")
        var poll = false

        func validate() throws {
            try PathChecks.check(notes: common.notes, output: site.output, cache: common.cacheFolder)
        }

        func run() throws {
            var options = PreviewSession.Options(build: common.buildOptions(output: site.output, theme: site.theme, title: site.title))
            options.host = host
            options.port = port
            options.poll = poll
            let console = Console(quiet: common.quiet)
            console.progress("Serving \(common.notes)/ → \(site.output)/")
            let session = PreviewSession(options: options, log: { console.error($0) }, report: { console.diagnostic($0) })
            let url: URL
            do {
                url = try session.start()
            } catch {
                console.error("notes serve: \(error)")
                throw ExitStatus.notesHaveErrors
            }
            // Written at once, unbuffered: scripts and tests read the address from standard output.
            FileHandle.standardOutput.write(Data("Serving \(url.absoluteString) (Ctrl-C to stop)\n".utf8))
            if open { Self.openInBrowser(url, console: console) }
            session.run()
        }

        private static func openInBrowser(_ url: URL, console: Console) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["xdg-open", url.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { console.error("cannot open a browser (xdg-open): open \(url.absoluteString) yourself") }
        }
    }
}
