import ArgumentParser

/// Options that `build` and `serve` share: where the site goes and how it looks.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder to write the site to (replaced as a whole).", valueName: "dir"))
    var output: String = "site"

    @Option(name: .long, help: ArgumentHelp("Folder of templates/ and assets/ that override the built-in theme file by file.", valueName: "dir"))
    var theme: String?

    @Option(name: .long, help: "Title of the site, shown in the header and page titles.")
    var title: String = "Course Notes"
}
