import Foundation

/// Where the shared cache is and how to speak to it: `--remote-cache URL` (or
/// `NOTES_REMOTE_CACHE`), `--remote-cache-read-only`, and credentials from the environment only.
public struct RemoteCacheOptions: Sendable {
    /// The server's base URL, without credentials; `ac/` and `cas/` go below it.
    public var url: URL
    /// Look results up, never upload (for pull requests from forks).
    public var readOnly: Bool
    /// Seconds a request may stay silent before the server is given up.
    public var timeout: Double
    /// The `Authorization` header's value, from `NOTES_REMOTE_CACHE_TOKEN` (bearer) or
    /// `NOTES_REMOTE_CACHE_BASIC_AUTH` (`user:password`). Never printed.
    var authorization: String?

    /// The environment variables read: the URL, the credentials and the time-out.
    public static let urlVariable = "NOTES_REMOTE_CACHE"
    public static let tokenVariable = "NOTES_REMOTE_CACHE_TOKEN"
    public static let basicAuthVariable = "NOTES_REMOTE_CACHE_BASIC_AUTH"
    public static let timeoutVariable = "NOTES_REMOTE_CACHE_TIMEOUT"

    /// Why a remote cache setting cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The options for `address` (the flag's value, else `NOTES_REMOTE_CACHE`), or nil when
    /// neither is set. `readOnly` without a server does nothing, so one workflow line serves
    /// jobs with a server and without.
    public static func resolve(flag address: String?, readOnly: Bool,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RemoteCacheOptions? {
        guard let text = address ?? environment[urlVariable].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            // Not echoed: a mistyped address may hold a password.
            throw Invalid(description: "the remote cache address is not an http:// or https:// URL with a host")
        }
        guard components.user == nil && components.password == nil else {
            throw Invalid(description: "remote cache URL carries credentials, which would show in logs and process lists: "
                          + "give them in \(tokenVariable) or \(basicAuthVariable) instead")
        }
        components.query = nil
        components.fragment = nil
        guard let url = components.url else { throw Invalid(description: "the remote cache address is not a valid URL") }
        // Secrets pasted with a trailing newline are common; one inside would split a request.
        let secret = { (name: String) throws -> String? in
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Invalid(description: "\(name) holds a control character or line break")
            }
            return value
        }
        var authorization: String?
        if let token = try secret(tokenVariable) {
            authorization = "Bearer " + token
        } else if let pair = try secret(basicAuthVariable) {
            guard pair.contains(":") else { throw Invalid(description: "\(basicAuthVariable) must be user:password") }
            authorization = "Basic " + Data(pair.utf8).base64EncodedString()
        }
        var timeout = 5.0
        if let value = environment[timeoutVariable] {
            guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                throw Invalid(description: "\(timeoutVariable) must be a number of seconds from 0 to 3600, not '\(value)'")
            }
            timeout = seconds
        }
        return RemoteCacheOptions(url: url, readOnly: readOnly, timeout: timeout, authorization: authorization)
    }

    init(url: URL, readOnly: Bool = false, timeout: Double = 5, authorization: String? = nil) {
        self.url = url
        self.readOnly = readOnly
        self.timeout = timeout
        self.authorization = authorization
    }

    /// The URL as it may be printed: it never holds credentials.
    public var displayURL: String { url.absoluteString }
}
