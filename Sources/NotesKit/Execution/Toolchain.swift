import Foundation
import Synchronization

/// The Swift compiler that note programs are built with, and the engine libraries built once per build.
struct Toolchain: Sendable {
    let swiftc: URL
    /// The first line of `swiftc --version`, part of every cache key.
    let version: String

    /// The flags of one engine module: optimised, whole-module (Swift 5 mode: the support module
    /// writes to C stdio streams, which Swift 6 mode rejects as shared mutable state); on x86-64,
    /// as in Package.swift, AVX2 and FMA code (the engine's kernels use them), and AVX-512 for the
    /// module of the 512-bit kernel, which the engine calls only on CPUs that run it.
    static func libraryFlags(for module: String) -> [String] {
        var flags = ["-O", "-wmo", "-parse-as-library", "-swift-version", "5"]
        #if arch(x86_64)
        flags += ["-target-cpu", module == "BackpropAVX512" ? "skylake-avx512" : "haswell"]
        #endif
        return flags
    }

    /// Flags for a note's program: quick to compile, Swift 5 language mode so that top-level
    /// notebook code may share global state across cells without actor annotations.
    static let programFlags = ["-Onone", "-g", "-swift-version", "5", "-suppress-warnings", "-diagnostic-style", "llvm"]

    /// Finds `swiftc` (next to the running toolchain's `swift`, or on `PATH`, or `NOTES_SWIFTC`),
    /// and its version, from `versionMemo` (a file in the cache folder) when that names it.
    static func find(versionMemo: URL? = nil) throws(DiagnosticsError) -> Toolchain {
        let swiftc = try located.get()
        return versions.withLock { known in
            if let version = known[swiftc] { return Toolchain(swiftc: swiftc, version: version) }
            let version = version(of: swiftc, memo: versionMemo)
            known[swiftc] = version
            return Toolchain(swiftc: swiftc, version: version)
        }
    }

    /// The compiler, looked up once per process.
    private static let located: Result<URL, DiagnosticsError> = {
        do throws(DiagnosticsError) { return .success(try locate()) } catch { return .failure(error) }
    }()

    /// The version of each compiler asked in this process.
    private static let versions = Mutex<[URL: String]>([:])

    private static func locate() throws(DiagnosticsError) -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["NOTES_SWIFTC"] { candidates.append(explicit) }
        for directory in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            candidates.append("\(directory)/swiftc")
        }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DiagnosticsError([.error("swiftc", line: nil, "the Swift compiler 'swiftc' is not on PATH (install Swift: https://swift.org/install)")])
        }
        return URL(fileURLWithPath: path)
    }

    /// Compiles the engine modules into `folder` unless an identical build is already there.
    ///
    /// The folder is named after a hash of the sources, flags and compiler, so concurrent and
    /// repeated builds share it; it is written under a temporary name and renamed into place.
    func buildLibraries(_ sources: EngineSources, cache: URL) throws(DiagnosticsError) -> URL {
        var key = Data(version.utf8)
        key.append(Data(sources.modules.map { Self.libraryFlags(for: $0.name).joined(separator: " ") }.joined(separator: "\n").utf8))
        key.append(sources.fingerprintData())
        let folder = cache.appendingPathComponent("engine-" + Digest.sha256Hex(key).prefix(16))
        do {
            return try StagedFolder.make(folder) { staging in
                // The CPU-feature header module sits beside the libraries, where `-I` finds it
                // for the engine and for every program that imports the engine.
                for file in sources.headerModule ?? [] {
                    try FileManager.default.copyItem(at: file, to: staging.appendingPathComponent(file.lastPathComponent))
                }
                var built: [String] = []
                for module in sources.modules {
                    var arguments = Self.libraryFlags(for: module.name) + ["-emit-library", "-emit-module", "-module-name", module.name,
                                                         "-emit-module-path", staging.appendingPathComponent("\(module.name).swiftmodule").path,
                                                         "-o", staging.appendingPathComponent("lib\(module.name).so").path,
                                                         "-I", staging.path, "-L", staging.path,
                                                         "-Xlinker", "-rpath", "-Xlinker", "$ORIGIN"]
                    arguments += built.map { "-l\($0)" } // modules built before may be imported by this one
                    arguments += module.files.map(\.path)
                    let result: ProcessRunner.Result
                    do {
                        result = try ProcessRunner.run(swiftc, arguments, timeout: 600)
                    } catch {
                        throw DiagnosticsError([.error(module.name, line: nil, "cannot run swiftc: \(error)")])
                    }
                    guard result.status == .exited(0) else {
                        throw DiagnosticsError([.error(module.name, line: nil, "the \(module.name) module does not compile:\n\(result.stderr)")])
                    }
                    built.append(module.name)
                }
            }
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            throw DiagnosticsError([.error(cache.path, line: nil, "cannot build the engine libraries: \(error)")])
        }
    }

    /// The arguments that compile a note program `main.swift` against the libraries in `libraries`.
    func programArguments(main: URL, output: URL, libraries: URL, modules: [String], typecheckOnly: Bool) -> [String] {
        var arguments = Self.programFlags + ["-module-name", "NoteProgram", "-I", libraries.path]
        if typecheckOnly {
            arguments += ["-typecheck"]
        } else {
            arguments += ["-L", libraries.path, "-Xlinker", "-rpath", "-Xlinker", libraries.path, "-o", output.path]
            arguments += modules.map { "-l\($0)" }
        }
        return arguments + [main.path]
    }
}
