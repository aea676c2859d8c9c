import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``KaTeXRenderer`` cannot typeset; the description says what to install or what broke.
enum KaTeXRendererError: Error, Equatable, CustomStringConvertible {
    /// No usable `node` executable.
    case nodeNotFound(detail: String)
    /// `require` of the KaTeX module failed.
    case katexNotFound(module: String, detail: String)
    /// NotesKit was built without its `katex-server.js` resource.
    case serverScriptMissing
    /// The node process exited while it was expected to answer.
    case processDied(status: Int32, stderr: String)
    /// The process answered something the renderer did not ask for.
    case protocolViolation(String)
    /// ``KaTeXRenderer/close()`` was called.
    case closed

    /// What went wrong and, for a missing dependency, the Debian package to install.
    var description: String {
        switch self {
        case .nodeNotFound(let detail):
            "node not found (\(detail)): apt-get install nodejs"
        case .katexNotFound(let module, let detail):
            "KaTeX not found at \(module): apt-get install katex (\(detail.trimmingCharacters(in: .whitespacesAndNewlines)))"
        case .serverScriptMissing:
            "katex-server.js is missing from NotesKit's resources"
        case .processDied(let status, let stderr):
            "the KaTeX process (node) exited with status \(status) mid-batch; its stderr:\n\(stderr)"
        case .protocolViolation(let detail):
            "the KaTeX process broke the protocol: \(detail)"
        case .closed:
            "the KaTeX renderer was closed"
        }
    }
}
