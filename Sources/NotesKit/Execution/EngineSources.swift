import Foundation

/// Where the Swift sources of the modules that note cells link against live.
///
/// Cells may `import Backprop` (the engine) and `NotebookSupport` (expectations, charts,
/// canonical formatting). The tool compiles both from source once per build, so it needs their
/// folders: by default the package's own `Sources/` (located from this file's path at build
/// time), or `NOTES_SOURCES` when the tool runs elsewhere.
struct EngineSources: Sendable {
    /// One module: its name and its `.swift` files, sorted.
    struct Module: Sendable {
        var name: String
        var files: [URL]
    }

    var modules: [Module]
    /// The C header module the engine imports for CPU features (`CBackpropCPU`: a module map and a
    /// header, no C to compile), or nil where there is none (not x86-64, or older sources).
    var headerModule: [URL]? = nil

    /// The names of the modules the tool compiles, in dependency order: on x86-64 first the
    /// engine's 512-bit kernel, compiled for AVX-512 (`Toolchain.libraryFlags(for:)`).
    #if arch(x86_64)
    static let moduleNames = ["BackpropAVX512", "Backprop", "NotebookSupport", "LiveSupport"]
    #else
    static let moduleNames = ["Backprop", "NotebookSupport", "LiveSupport"]
    #endif
    /// Modules that may be missing from older sources (the engine then runs its 256-bit kernel).
    static let optionalModules: Set = ["Backprop", "BackpropAVX512"]
    /// The folder of the header module, under the sources.
    static let headerModuleName = "CBackpropCPU"
    /// The modules a note's program imports (live cells use Backprop and LiveSupport instead).
    static let programModules = ["Backprop", "NotebookSupport"]
    /// The modules compiled into a note's WebAssembly module together with its live cells.
    static let liveModules = ["Backprop", "LiveSupport"]

    /// The names of the modules found that a note's program imports.
    var programModuleNames: [String] { modules.map(\.name).filter(Self.programModules.contains) }

    /// The modules the program of `notebook` imports, out of `programModules`: a note with live
    /// cells also compiles them into its program, for its test blocks, and needs LiveSupport.
    static func modules(_ programModules: [String], for notebook: Notebook) -> [String] {
        notebook.liveCells.isEmpty ? programModules : programModules + ["LiveSupport"]
    }

    /// Finds the modules under `root` (default: the package's `Sources/`).
    static func locate(root: URL? = nil) throws(DiagnosticsError) -> EngineSources {
        let environment = ProcessInfo.processInfo.environment["NOTES_SOURCES"].map { URL(fileURLWithPath: $0) }
        let sources = root ?? environment ?? URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var modules: [Module] = []
        for name in moduleNames {
            let folder = sources.appendingPathComponent(name)
            guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
                if !optionalModules.contains(name) {
                    throw DiagnosticsError([.error(folder.path, line: nil, "cannot find the \(name) sources (set NOTES_SOURCES to the package's Sources folder)")])
                }
                continue
            }
            let files = enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
                .sorted { $0.path < $1.path }
            if !files.isEmpty { modules.append(Module(name: name, files: files)) }
        }
        var found = EngineSources(modules: modules)
        #if arch(x86_64)
        let headers = sources.appendingPathComponent(headerModuleName)
        let files = ["module.modulemap", "cpu_features.h"].map { headers.appendingPathComponent($0) }
        if files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
            found.headerModule = files
        } else {
            // Without the CPU check the wide kernel cannot be called: the engine keeps to SIMD4.
            found.modules.removeAll { $0.name == "BackpropAVX512" }
        }
        #endif
        return found
    }

    /// The bytes of every source file with its path relative to its module, for cache keys.
    func fingerprintData() -> Data {
        var data = Data()
        for module in modules {
            for file in module.files {
                data.append(Data("\(module.name)/\(file.lastPathComponent)\n".utf8))
                data.append((try? Data(contentsOf: file)) ?? Data())
                data.append(0)
            }
        }
        for file in headerModule ?? [] {
            data.append(Data("\(Self.headerModuleName)/\(file.lastPathComponent)\n".utf8))
            data.append((try? Data(contentsOf: file)) ?? Data())
            data.append(0)
        }
        return data
    }
}
