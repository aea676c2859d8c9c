import Foundation
import Testing
@testable import NotesKit

/// `notes serve`'s HTTP side: nothing outside the site folder, whatever the request path says.
@Suite("Preview: serving the site") struct PreviewServerTests {
    /// A site folder with a page, an asset, a 404 page, a link out of the site and a secret beside it.
    static func site() throws -> (root: URL, site: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-serve-\(UUID().uuidString)")
        let site = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try "<!doctype html><html><head><title>A</title></head><body>A</body></html>".write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "<!doctype html><html><head></head><body>Not here</body></html>".write(to: site.appendingPathComponent("404.html"), atomically: true, encoding: .utf8)
        try "body{}".write(to: site.appendingPathComponent("assets/notes.css"), atomically: true, encoding: .utf8)
        try "secret".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("leak.txt").path, withDestinationPath: "../secret.txt")
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("out").path, withDestinationPath: root.path)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("style.css").path, withDestinationPath: "assets/notes.css")
        return (root, site)
    }

    @Test("The pages hear of every file written since they were last told, superseded builds included")
    func siteChangesCarryOverSupersededBuilds() {
        var changes = SiteChanges()
        changes.built(files: ["a.html", "b.html", "index.html"], written: ["a.html", "b.html", "index.html"])
        #expect(changes.announce() == (changed: ["a.html", "b.html", "index.html"], removed: []))
        // Superseded: b changed and c appeared; then a changed, b went away. Told once, of all of it.
        changes.built(files: ["a.html", "b.html", "c.html", "index.html"], written: ["b.html", "c.html"])
        changes.built(files: ["a.html", "c.html", "index.html"], written: ["a.html"])
        let told = changes.announce()
        #expect(told.changed == ["a.html", "c.html"])
        #expect(told.removed == ["b.html"])
        changes.built(files: ["a.html", "c.html", "index.html"], written: [])
        #expect(changes.announce() == (changed: [], removed: []))
        // A site already served before the first build: what the first good build drops is news.
        var served = SiteChanges(served: ["a.html", "gone.html", "index.html"])
        served.built(files: ["a.html", "index.html"], written: ["index.html"])
        #expect(served.announce() == (changed: ["index.html"], removed: ["gone.html"]))
    }

    @Test func pathsOutsideTheSiteAreRefused() throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = PreviewFiles(root: site)
        let real = site.resolvingSymlinksInPath().path
        #expect(files.resolve("/") == .file(real + "/index.html"))
        #expect(files.resolve("/assets/notes.css") == .file(real + "/assets/notes.css"))
        #expect(files.resolve("/style.css") == .file(real + "/assets/notes.css"), "a link inside the site is followed")
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                     "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/%2fetc/passwd", "/assets/..%5c..%5csecret.txt", "/a%00.html",
                     "//etc/passwd", "/assets//notes.css", "/./index.html", "secret.txt", "/%zz"] {
            #expect(files.resolve(path) == .missing, "\(path)")
        }
        #expect(files.resolve("/leak.txt") == .forbidden)
        #expect(files.resolve("/out/secret.txt") == .forbidden)
        #expect(files.resolve("/out/site/index.html") == .file(real + "/index.html"), "a way round that ends inside is fine")
        let answer = files.answer(rawPath: "/leak.txt", build: "b")
        #expect(answer.status == 403 && !String(decoding: answer.body, as: UTF8.self).contains("secret"))
    }

    @Test func pagesGetTheReloadScriptAndMissingPagesTheSites404() throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = PreviewFiles(root: site)
        let page = files.answer(rawPath: "/index.html", build: "x-1\"")
        #expect(page.status == 200 && page.contentType == "text/html; charset=utf-8")
        #expect(String(decoding: page.body, as: UTF8.self)
            == "<!doctype html><html><head><title>A</title><script src=\"/__notes/reload.js\" data-build=\"x-1&quot;\" defer></script></head><body>A</body></html>")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("reload.js") == false,
                "the built page is not changed")
        let css = files.answer(rawPath: "/assets/notes.css", build: "x")
        #expect(css.contentType == "text/css; charset=utf-8" && css.body == Data("body{}".utf8))
        let missing = files.answer(rawPath: "/gone.html", build: "x")
        #expect(missing.status == 404 && String(decoding: missing.body, as: UTF8.self).contains("Not here"))
    }

    /// Sends `request` as raw bytes (no client library to tidy the path) and returns the reply;
    /// on a thread of its own, so the server's tasks keep the concurrency pool.
    static func exchange(port: UInt16, _ request: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try blockingExchange(port: port, request) }) }
        }
    }

    static func blockingExchange(port: UInt16, _ request: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw PreviewError("cannot connect to port \(port)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = Array(request.utf8).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }

    @Test func theServerAnswersTraversalWith404Or403AndNeverStores() async throws {
        // The real `notes serve`, in a process of its own (an in-process server would share the
        // test run's busy concurrency pool), over a course of one note.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notes-serve-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("notes"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "---\ntitle: A\n---\n\nText.\n".write(to: root.appendingPathComponent("notes/a.md"), atomically: true, encoding: .utf8)
        try "secret".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let server = try PreviewBrowserTests.Server(root: root)
        defer { _ = server.interrupt() }
        let port = try #require(try await server.address().port.map(UInt16.init))
        let site = root.appendingPathComponent("site")
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("leak.txt").path, withDestinationPath: "../secret.txt")
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("out").path, withDestinationPath: root.path)
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/leak.txt", "/out/secret.txt"] {
            let reply = try await Self.exchange(port: port, "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let status = reply.split(separator: " ").dropFirst().first.map(String.init)
            #expect(status == "404" || status == "403", "\(path): \(reply.prefix(80))")
            #expect(!reply.contains("secret\n") && !reply.hasSuffix("secret"), "\(path) leaked the file")
        }
        let page = try await Self.exchange(port: port, "GET /a.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.lowercased().contains("cache-control: no-store"))
        #expect(page.contains("/__notes/reload.js"))
        let missing = try await Self.exchange(port: port, "GET /nothing.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        #expect(missing.hasPrefix("HTTP/1.1 404"))
        let script = try await Self.exchange(port: port, "GET /__notes/reload.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        #expect(script.contains("text/javascript") && script.contains("new WebSocket"))
        let post = try await Self.exchange(port: port, "POST /a.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(post.hasPrefix("HTTP/1.1 405"))
    }
}
