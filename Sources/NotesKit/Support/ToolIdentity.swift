import Foundation

/// Which build of `notes` is running, for caches of what its code makes (pages).
///
/// A released version number alone would let a rebuilt tool reuse pages an older build of the
/// same version made; the running executable's size and modification time change with every
/// build of it, and reading them costs one `stat`. Where the executable cannot be found, every
/// process is a new tool and nothing is reused.
enum ToolIdentity {
    /// The format of everything keyed on this; raise it to drop every cache made before.
    static let version = "notes 1"

    static let current: String = {
        var info = stat()
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              stat(path, &info) == 0 else { return "\(version); process \(UUID().uuidString)" }
        return "\(version); \(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()
}
