import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's stock nginx serving Bazel's HTTP cache protocol with WebDAV, on loopback, from a
/// test folder: the real server the remote-cache tests run against.
///
/// Its configuration puts the cache root, every temporary path, the pid file and the logs in
/// the folder, and creates `ac/` and `cas/` before the first `PUT` (nginx does not create the
/// root's own folders). With `tls`, it serves https with a self-signed certificate for
/// 127.0.0.1 made by openssl (`certificate`, which a client must be made to trust). Below
/// `/moved/` every request is redirected to `redirect`, when given. Started by the test and
/// stopped with it; `script/setup --test` installs nginx and openssl.
final class NginxCacheServer: @unchecked Sendable {
    let folder: URL
    let port: Int
    let tls: Bool
    private let process = Process()

    var url: URL { URL(string: "\(tls ? "https" : "http")://127.0.0.1:\(port)/")! }
    /// The server's certificate, which is its own authority.
    var certificate: URL { folder.appendingPathComponent("certificate.pem") }
    var root: URL { folder.appendingPathComponent("root") }

    /// The requests nginx logged, as `METHOD path` lines.
    var requests: [String] {
        let log = (try? String(contentsOf: folder.appendingPathComponent("logs/access.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init)
    }

    /// The files of the cache root, by path below it.
    var storedFiles: [String] {
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return paths.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isFolder)
                && !isFolder.boolValue
        }.sorted()
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static let executable: String? = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    init(tls: Bool = false, redirect: URL? = nil) throws {
        guard let nginx = Self.executable else {
            throw Unavailable(description: "nginx is not installed: run script/setup --test (Debian's nginx, with its WebDAV module)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-nginx-\(UUID().uuidString)")
        let manager = FileManager.default
        for path in ["root/ac", "root/cas", "temp", "logs"] {
            try manager.createDirectory(at: folder.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        port = try Self.freePort()
        self.tls = tls
        var listen = "listen 127.0.0.1:\(port);"
        if tls {
            let key = folder.appendingPathComponent("key.pem").path
            try Self.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                             "-out", certificate.path, "-days", "2", "-subj", "/CN=notes-test",
                                             "-addext", "subjectAltName=IP:127.0.0.1"])
            listen = "listen 127.0.0.1:\(port) ssl;\n    ssl_certificate \(certificate.path);\n    ssl_certificate_key \(key);"
        }
        let moved = redirect.map { "location /moved/ { return 307 \($0.absoluteString)$request_uri; }" } ?? ""
        let temp = folder.appendingPathComponent("temp").path
        // As root, nginx's workers would run as nobody, who cannot write the test folder.
        let user = getuid() == 0 ? "user root root;\n" : ""
        let configuration = """
            \(user)worker_processes 1;
            daemon off;
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/logs/error.log warn;
            events { worker_connections 256; }
            http {
              log_format requests '$request_method $uri $status';
              access_log \(folder.path)/logs/access.log requests;
              client_body_temp_path \(temp)/body;
              proxy_temp_path \(temp)/proxy;
              fastcgi_temp_path \(temp)/fastcgi;
              uwsgi_temp_path \(temp)/uwsgi;
              scgi_temp_path \(temp)/scgi;
              server {
                \(listen)
                root \(root.path);
                \(moved)
                client_max_body_size 1g;
                location / {
                  dav_methods PUT;
                  create_full_put_path on;
                  dav_access user:rw group:r all:r;
                }
              }
            }

            """
        let file = folder.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", folder.path, "-c", file.path, "-e", "\(folder.path)/logs/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Up once it accepts connections.
        for _ in 0..<200 {
            if Loopback.accepts(port) { return }
            if !process.isRunning { break }
            usleep(25_000)
        }
        let errors = (try? String(contentsOf: folder.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
        stop()
        throw Unavailable(description: "nginx did not start on port \(port): \(errors.suffix(600))")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops nginx, as a server going down would.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGQUIT)
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs `tool` with `arguments`, which must succeed.
    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "\(tool) \(arguments.first ?? "") failed: run script/setup --test")
        }
    }

    /// A port nothing listens on now.
    private static func freePort() throws -> Int {
        let (fd, port) = try Loopback.bind()
        close(fd)
        return port
    }
}
