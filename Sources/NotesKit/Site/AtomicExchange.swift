#if canImport(Glibc)
import Glibc
#endif

/// Swaps two paths in one step with Linux's `renameat2(RENAME_EXCHANGE)`.
enum AtomicExchange {
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// Exchanges `a` and `b`; false when the system cannot (other OS, old libc, other file system).
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        // glibc declares renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not set.
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }
}
