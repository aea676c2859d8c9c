import Foundation

/// Which file is at a path: device, inode, size and modification time, read by one `lstat`.
///
/// A file `notes` published and nobody has touched since keeps all four: a write changes the
/// modification time, a replacement the inode. The page cache trusts a page of the previous
/// site only while its identity is the one recorded when it was published.
struct FileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    /// The identity of the regular file at `path`, or nil (missing, a link, not a file).
    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }

    /// As stored in a cache file: five decimal numbers.
    var text: String { "\(device) \(inode) \(size) \(seconds) \(nanoseconds)" }

    init?(text: String) {
        let numbers = text.split(separator: " ")
        guard numbers.count == 5, let device = UInt64(numbers[0]), let inode = UInt64(numbers[1]),
              let size = Int64(numbers[2]), let seconds = Int(numbers[3]), let nanoseconds = Int(numbers[4]) else { return nil }
        (self.device, self.inode, self.size, self.seconds, self.nanoseconds) = (device, inode, size, seconds, nanoseconds)
    }
}
