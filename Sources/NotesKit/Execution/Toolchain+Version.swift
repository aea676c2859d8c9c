import Foundation

/// The first line of `swiftc --version`, remembered in the cache folder for as long as the
/// compiler's files are the same.
///
/// Asking the compiler costs about a tenth of a second, most of a rebuild whose cells are all
/// cached. The answer is kept under the compiler's identity: the real paths, sizes, modification
/// times and inodes of `swiftc` and of the `swift-frontend` beside it. Replacing or upgrading the
/// toolchain changes that identity, so the version is asked again.
extension Toolchain {
    private static let magic = "notes-swiftc-version 1"

    /// The version of `swiftc`, from `memo` when it names this compiler's files, else asked (and
    /// written to `memo`, when given).
    static func version(of swiftc: URL, memo: URL?) -> String {
        let identity = identity(of: swiftc)
        if let memo, let identity, case .records(let records)? = RecordFile.read(memo, magic: magic, fingerprint: identity),
           records.count == 1 {
            return records[0]
        }
        let result = try? ProcessRunner.run(swiftc, ["--version"], timeout: 60)
        guard let result, result.status == .exited(0),
              let version = result.stdout.split(separator: "\n").first.map(String.init) else { return "unknown swiftc" }
        if let memo, let identity { try? RecordFile.write([version], to: memo, magic: magic, fingerprint: identity) }
        return version
    }

    /// What identifies the compiler's files on this machine, or nil if they cannot be read.
    static func identity(of swiftc: URL) -> String? {
        let driver = swiftc.resolvingSymlinksInPath()
        let frontend = driver.deletingLastPathComponent().appendingPathComponent("swift-frontend").resolvingSymlinksInPath()
        var parts: [String] = []
        for file in driver == frontend ? [driver] : [driver, frontend] {
            var status = stat()
            guard stat(file.path, &status) == 0 else {
                if file == frontend { continue } // an older toolchain without one
                return nil
            }
            parts.append("\(file.path) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) \(status.st_dev) \(status.st_ino)")
        }
        return parts.joined(separator: "\n")
    }
}
