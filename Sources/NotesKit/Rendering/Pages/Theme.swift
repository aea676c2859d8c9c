import Foundation
import Mustache

/// The templates and assets a site is built with: the built-in theme, overridden file by file.
///
/// The built-in theme lives in the NotesKit resource bundle under `Resources/Theme`, laid out as
/// `templates/NAME.mustache` and `assets/FILE`. An override folder has the same layout: each of its
/// files replaces the built-in file with the same relative path, and files the built-in theme does
/// not have are added (an extra partial, an extra asset). Hidden files are ignored.
///
/// Pages extend `base.mustache` with Mustache template inheritance, so overriding `base` restyles
/// every page and overriding `note` changes only note pages. Any template can be used as a partial
/// by its name (`{{> search-box}}`).
struct Theme: Sendable {
    /// Every template, parsed, by name (its path under `templates/` without `.mustache`).
    private let library: MustacheLibrary
    /// The names of all templates, for error messages.
    private let templateNames: [String]
    /// The theme folders in order of precedence, lowest first: built-in, then the override folder.
    private let folders: [URL]
    /// SHA-256 of every template's name and text: pages made with the same fingerprint are made
    /// by the same templates (assets are linked from pages, never inlined, so they do not count).
    let fingerprint: String

    /// Loads the built-in theme and, if given, a folder whose files replace built-in ones of the same relative path
    /// (templates/NAME.mustache, assets/FILE). A missing override folder is an error naming it.
    init(overrides: URL?) throws {
        var folders = [try Self.builtInFolder()]
        if let overrides {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: overrides.path, isDirectory: &isFolder), isFolder.boolValue
            else { throw Error.missingOverrideFolder(overrides) }
            folders.append(overrides)
        }
        var library = MustacheLibrary()
        var sources: [String: String] = [:]
        for folder in folders {
            for (path, url) in try Self.files(under: folder.appending(path: "templates")) where path.hasSuffix(".mustache") {
                let name = String(path.dropLast(".mustache".count))
                let (template, text) = try Self.parseTemplate(at: url)
                library.register(template, named: name)
                sources[name] = text
            }
        }
        self.library = library
        self.templateNames = sources.keys.sorted()
        self.folders = folders
        self.fingerprint = Digest.sha256Hex(templateNames.map { "\($0)\u{0}\(sources[$0]!)" }.joined(separator: "\u{0}"))
    }

    /// Renders template `name` ("note", "index", "404") with a context value.
    func render(_ name: String, _ context: Any) throws -> String {
        guard let html = library.render(context, withTemplate: name) else {
            throw Error.unknownTemplate(name, available: templateNames)
        }
        return html
    }

    /// Every asset file to publish, relative path under the site's `assets/` folder → source file URL (built-in, with overrides applied; override-only extra files included).
    func assets() throws -> [(path: String, source: URL)] {
        var sources: [String: URL] = [:]
        for folder in folders {
            for (path, url) in try Self.files(under: folder.appending(path: "assets")) {
                sources[path] = url
            }
        }
        return sources.keys.sorted().map { (path: $0, source: sources[$0]!) }
    }

    // MARK: - Loading

    /// The built-in theme folder inside the NotesKit resource bundle.
    private static func builtInFolder() throws -> URL {
        guard let resources = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw Error.missingBuiltInTheme
        }
        return resources.appending(path: "Theme")
    }

    /// The regular, non-hidden files below `folder` (recursively), as relative path → URL; none if it does not exist.
    private static func files(under folder: URL) throws -> [(path: String, url: URL)] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.path) else { return [] }
        let paths: [String]
        do {
            paths = try manager.subpathsOfDirectory(atPath: folder.path)
        } catch {
            throw Error.unreadable(folder, reason: error.localizedDescription)
        }
        return paths.sorted().compactMap { path in
            guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
            let url = folder.appending(path: path)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
            return (path, url)
        }
    }

    /// Reads and parses one template file, turning a Mustache parse error into one that names the file.
    private static func parseTemplate(at url: URL) throws -> (template: MustacheTemplate, text: String) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Error.unreadable(url, reason: error.localizedDescription)
        }
        do {
            return (try MustacheTemplate(string: text), text)
        } catch let error as MustacheTemplate.ParserError {
            throw Error.templateSyntax(
                url, line: error.context.lineNumber, column: error.context.columnNumber,
                text: error.context.line, reason: Self.describe(error.error))
        } catch {
            throw Error.templateSyntax(url, line: 0, column: 0, text: "", reason: "\(error)")
        }
    }

    /// A sentence for a Mustache parser error.
    private static func describe(_ error: any Swift.Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a closing tag does not match the section it closes"
        case .unfinishedName: "a tag is not closed or its name is malformed"
        case .expectedSectionEnd: "a section is never closed"
        case .invalidSetDelimiter: "malformed set-delimiter tag"
        case .transformAppliedToInheritanceSection: "a transform cannot be applied to a block"
        case .illegalTokenInsideInheritSection: "only {{$block}} definitions may appear inside {{<parent}}"
        case .textInsideInheritSection: "only {{$block}} definitions may appear inside {{<parent}}"
        case .invalidConfigVariableSyntax: "malformed pragma tag"
        case .unrecognisedConfigVariable: "unknown pragma"
        case nil: "\(error)"
        }
    }

    // MARK: - Errors

    /// Why a theme could not be loaded or a page rendered.
    enum Error: Swift.Error, CustomStringConvertible, LocalizedError {
        /// The NotesKit resource bundle has no `Resources/Theme` folder.
        case missingBuiltInTheme
        /// The override folder given does not exist or is not a folder.
        case missingOverrideFolder(URL)
        /// A theme file or folder could not be read.
        case unreadable(URL, reason: String)
        /// A template is not valid Mustache; line and column are 1-based (0 when unknown).
        case templateSyntax(URL, line: Int, column: Int, text: String, reason: String)
        /// No template has the requested name.
        case unknownTemplate(String, available: [String])

        var description: String {
            switch self {
            case .missingBuiltInTheme:
                return "The built-in theme is missing from the NotesKit resource bundle (Resources/Theme)."
            case .missingOverrideFolder(let url):
                return "Theme override folder not found: \(url.path)"
            case .unreadable(let url, let reason):
                return "Cannot read theme file \(url.path): \(reason)"
            case .templateSyntax(let url, let line, let column, let text, let reason):
                guard line > 0 else { return "\(url.path): template syntax error: \(reason)" }
                let caret = String(repeating: " ", count: max(column - 1, 0)) + "^"
                let location = DiagnosticFormatter.location(NoteLocation(file: url.path, line: line, column: column))
                return "\(location): template syntax error: \(reason)\n    \(text)\n    \(caret)"
            case .unknownTemplate(let name, let available):
                return "No theme template named '\(name)' (have: \(available.joined(separator: ", ")))."
            }
        }

        var errorDescription: String? { description }
    }
}
