import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built site's files as the preview server answers them: only files inside the site
/// folder, HTML with the reload script added, and never cached by the browser.
///
/// A request path is taken apart by hand, whatever the HTTP library made of it: percent-decoded
/// once, then refused (404) if any segment is `.` or `..`, or holds a slash, backslash or NUL
/// after decoding; the file is then resolved through symbolic links and refused (403) unless it
/// still lies inside the site folder. The built site is never changed: the script is added to
/// the bytes sent.
struct PreviewFiles: Sendable {
    /// The site folder.
    let root: URL
    /// The path of the reload script the pages are given.
    static let scriptPath = "/__notes/reload.js"

    /// What to answer: a status, a content type and the bytes.
    struct Answer: Equatable, Sendable {
        var status: Int
        var contentType: String
        var body: Data
    }

    /// The answer to a GET of `rawPath` (the request target's path, still percent-encoded), for
    /// a site whose current build is `build`.
    func answer(rawPath: String, build: String) -> Answer {
        switch resolve(rawPath) {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { return notFound(build: build) }
            let type = Self.contentType(of: path)
            return Answer(status: 200, contentType: type, body: type.hasPrefix("text/html") ? Self.inject(data, build: build) : data)
        case .forbidden:
            return Answer(status: 403, contentType: "text/plain; charset=utf-8", body: Data("403 Forbidden: outside the site\n".utf8))
        case .missing:
            return notFound(build: build)
        }
    }

    enum Resolution: Equatable {
        case file(String)
        case forbidden
        case missing
    }

    /// Where `rawPath` leads in the site folder.
    func resolve(_ rawPath: String) -> Resolution {
        guard rawPath.hasPrefix("/") else { return .missing }
        var segments: [String] = []
        for raw in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = String(raw).removingPercentEncoding else { return .missing }
            if segment == "." || segment == ".." || segment.contains("/") || segment.contains("\\") || segment.contains("\0") {
                return .missing
            }
            segments.append(segment)
        }
        // "/" and "/folder/" mean the folder's index.html; empty segments in between are refused.
        if segments.last == "" { segments[segments.count - 1] = "index.html" }
        guard !segments.contains("") else { return .missing }
        guard let base = realpath(root.path) else { return .missing }
        var path = ([base] + segments).joined(separator: "/")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { path += "/index.html" }
        guard let real = realpath(path) else { return .missing }
        guard real.hasPrefix(base + "/") else { return .forbidden }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .missing }
        return .file(real)
    }

    /// The site's 404 page (or a short one before the first good build), with status 404.
    private func notFound(build: String) -> Answer {
        let page = FileManager.default.contents(atPath: root.appendingPathComponent("404.html").path)
            ?? Data("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><p>No site yet: the first build has not succeeded.</p></body></html>".utf8)
        return Answer(status: 404, contentType: "text/html; charset=utf-8", body: Self.inject(page, build: build))
    }

    /// `html` with the reload script added before `</head>` (or at the end).
    static func inject(_ html: Data, build: String) -> Data {
        let tag = Data("<script src=\"\(scriptPath)\" data-build=\"\(HTML.escapeAttributeValue(build))\" defer></script>".utf8)
        guard let head = html.range(of: Data("</head>".utf8)) else { return html + tag }
        var out = html
        out.insert(contentsOf: tag, at: head.lowerBound)
        return out
    }

    private func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "ttf": "font/ttf"
        case "wasm": "application/wasm"
        case "txt", "md": "text/plain; charset=utf-8"
        case "xml": "application/xml"
        default: "application/octet-stream"
        }
    }
}
