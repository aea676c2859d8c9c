import Foundation
import Testing
@testable import NotesKit

/// The compiler's version, remembered in the cache folder while the compiler's files stay the same.
@Suite("Toolchain version memo") struct ToolchainVersionTests {
    /// A stand-in compiler that counts how often it is asked, in `folder`.
    static func fakeCompiler(in folder: URL, version: String) throws -> URL {
        let swiftc = folder.appendingPathComponent("swiftc")
        let script = """
            #!/bin/sh
            echo asked >> "\(folder.path)/asked"
            echo "Swift version \(version) (fake)"
            echo "Target: x86_64-unknown-linux-gnu"
            """
        try script.write(to: swiftc, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swiftc.path)
        return swiftc
    }

    static func timesAsked(_ folder: URL) -> Int {
        ((try? String(contentsOf: folder.appendingPathComponent("asked"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    @Test func theVersionIsAskedOnceThenAgainWhenTheCompilerChanges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-swiftc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let memo = folder.appendingPathComponent("cache/swiftc-version")
        var swiftc = try Self.fakeCompiler(in: folder, version: "6.9")
        #expect(Toolchain.version(of: swiftc, memo: memo) == "Swift version 6.9 (fake)")
        #expect(Toolchain.version(of: swiftc, memo: memo) == "Swift version 6.9 (fake)")
        #expect(Self.timesAsked(folder) == 1, "the second build asked the compiler again")
        // Without a memo, it is always asked.
        _ = Toolchain.version(of: swiftc, memo: nil)
        #expect(Self.timesAsked(folder) == 2)
        // An upgraded compiler (new file, same path) is asked again.
        swiftc = try Self.fakeCompiler(in: folder, version: "7.0")
        #expect(Toolchain.version(of: swiftc, memo: memo) == "Swift version 7.0 (fake)")
        #expect(Self.timesAsked(folder) == 3)
        // A memo that is not one (damaged, or of another tool) is asked past and rewritten.
        try Data("garbage".utf8).write(to: memo)
        #expect(Toolchain.version(of: swiftc, memo: memo) == "Swift version 7.0 (fake)")
        #expect(Toolchain.version(of: swiftc, memo: memo) == "Swift version 7.0 (fake)")
        #expect(Self.timesAsked(folder) == 4)
    }

    @Test func aCompilerThatFailsIsNotRemembered() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-swiftc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let swiftc = folder.appendingPathComponent("swiftc")
        try "#!/bin/sh\nexit 3\n".write(to: swiftc, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swiftc.path)
        let memo = folder.appendingPathComponent("swiftc-version")
        #expect(Toolchain.version(of: swiftc, memo: memo) == "unknown swiftc")
        #expect(!FileManager.default.fileExists(atPath: memo.path))
    }
}
