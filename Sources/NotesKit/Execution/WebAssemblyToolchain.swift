import Foundation

/// The part of the Swift toolchain that builds live cells for the browser: Embedded Swift for
/// `wasm32-unknown-none-wasm`, the `clang` and `wasm-ld` beside `swiftc`, and the small C
/// runtime (allocator, memory functions, a correctly rounded `fma`) every module links with.
struct WebAssemblyToolchain: Sendable {
    static let target = "wasm32-unknown-none-wasm"
    /// Flags of the Embedded Swift compile of a note's live module.
    static let swiftFlags = ["-target", target, "-enable-experimental-feature", "Embedded", "-wmo", "-Osize",
                             "-parse-as-library", "-Xfrontend", "-disable-stack-protector", "-swift-version", "5",
                             "-diagnostic-style", "llvm"]
    /// Flags of clang's compile of a Swift module's LLVM IR into an object.
    static let loweringFlags = ["--target=\(target)", "-Os", "-c"]
    /// Flags of the runtime's C compile.
    static let clangFlags = ["--target=wasm32-unknown-unknown", "-nostdlib", "-ffreestanding", "-mbulk-memory", "-O2", "-c"]
    /// What a module exports besides its memory (see `LiveProgram.exports`).
    static let exports = ["notes_live_widgets", "notes_live_send", "notes_live_frame", "notes_live_reset",
                          "notes_live_ops", "notes_live_ops_count", "notes_live_text", "notes_live_text_count",
                          "notes_live_scenario_begin", "notes_live_scenario_next", "notes_live_scenario_error",
                          "notes_live_scenario_error_count"]
    /// binaryen's size optimisation of the linked module (about a quarter smaller), with the
    /// features the Swift target uses.
    static let optimizeFlags = ["-Oz", "--enable-bulk-memory", "--enable-sign-ext", "--enable-mutable-globals",
                                "--enable-nontrapping-float-to-int"]
    /// 1 MiB of stack, 256 MiB of memory at most.
    static let linkFlags = ["--no-entry", "--gc-sections", "--strip-all", "-z", "stack-size=1048576",
                            "--max-memory=268435456"]

    let swiftc: URL
    let clang: URL
    let wasmLD: URL
    /// The runtime's C source.
    let runtime: URL
    /// The Embedded standard library's Unicode tables (for `String` comparison and hashing),
    /// linked only when a widget needs them.
    let unicodeTables: URL?
    /// binaryen's `wasm-opt` (`NOTES_WASM_OPT`, else on `PATH`), or nil: modules are then not size-optimised.
    let wasmOpt: URL?

    /// The toolchain beside `swiftc`, or why there is none (one line, for the build's log).
    static func find(_ toolchain: Toolchain) -> Result<WebAssemblyToolchain, LiveUnavailable> {
        let bin = toolchain.swiftc.resolvingSymlinksInPath().deletingLastPathComponent()
        let clang = bin.appendingPathComponent("clang"), wasmLD = bin.appendingPathComponent("wasm-ld")
        let stdlib = bin.deletingLastPathComponent().appendingPathComponent("lib/swift/embedded/\(target)")
        let manager = FileManager.default
        guard manager.isExecutableFile(atPath: wasmLD.path), manager.isExecutableFile(atPath: clang.path) else {
            return .failure(LiveUnavailable("this Swift toolchain has no wasm-ld and clang beside swiftc"))
        }
        guard manager.fileExists(atPath: stdlib.path) else {
            return .failure(LiveUnavailable("this Swift toolchain has no Embedded Swift for \(target)"))
        }
        guard let runtime = Bundle.module.url(forResource: "runtime", withExtension: "c", subdirectory: "Resources/Live") else {
            return .failure(LiveUnavailable("the live-cell runtime (Resources/Live/runtime.c) is missing from this build of notes"))
        }
        let tables = stdlib.appendingPathComponent("libswiftUnicodeDataTables.a")
        let environment = ProcessInfo.processInfo.environment
        let optimizers = environment["NOTES_WASM_OPT"].map { [$0] }
            ?? (environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/wasm-opt" }
        let wasmOpt = optimizers.first { manager.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }
        return .success(WebAssemblyToolchain(swiftc: toolchain.swiftc, clang: clang, wasmLD: wasmLD, runtime: runtime,
                                             unicodeTables: manager.fileExists(atPath: tables.path) ? tables : nil,
                                             wasmOpt: wasmOpt))
    }

    /// The bytes that decide what the runtime and the flags produce, for cache keys.
    func fingerprintData() -> Data {
        var data = Data((Self.swiftFlags + Self.loweringFlags + Self.clangFlags + Self.linkFlags + Self.exports).joined(separator: " ").utf8)
        data.append(Data((wasmOpt.map { _ in "wasm-opt \(Self.optimizeFlags)" } ?? "no wasm-opt").utf8))
        data.append((try? Data(contentsOf: runtime)) ?? Data())
        return data
    }

    /// The engine's and the live-widget API's Embedded modules and the runtime's object, built
    /// into a folder of `cache` named after a hash of everything that goes into them, once.
    struct Modules: Sendable {
        let folder: URL
        /// The objects every note's module links with: the modules' and the runtime's.
        let objects: [URL]
    }

    /// Builds (or finds) the modules of `sources` that live cells import (`EngineSources.liveModules`).
    func buildModules(_ sources: EngineSources, cache: URL) -> Result<Modules, LiveUnavailable> {
        let modules = sources.modules.filter { EngineSources.liveModules.contains($0.name) }
        var key = fingerprintData()
        for module in modules {
            for file in module.files {
                key.append(Data("\(module.name)/\(file.lastPathComponent)\n".utf8))
                key.append((try? Data(contentsOf: file)) ?? Data())
            }
        }
        let folder = cache.appendingPathComponent("wasm-" + Digest.sha256Hex(key).prefix(16))
        let objects = modules.map { folder.appendingPathComponent("\($0.name).o") } + [folder.appendingPathComponent("runtime.o")]
        do {
            _ = try StagedFolder.make(folder) { staging in
                let runtimeBuild = try ProcessRunner.run(clang, Self.clangFlags + [runtime.path, "-o", staging.appendingPathComponent("runtime.o").path], timeout: 120)
                guard runtimeBuild.status == .exited(0) else { throw LiveUnavailable("the live-cell runtime does not compile:\n" + runtimeBuild.stderr) }
                for module in modules {
                    let arguments = Self.swiftFlags + ["-module-name", module.name, "-emit-module",
                                                       "-emit-module-path", staging.appendingPathComponent("\(module.name).swiftmodule").path,
                                                       "-I", staging.path] + module.files.map(\.path)
                    let result = try compile(arguments, object: staging.appendingPathComponent("\(module.name).o"))
                    guard result.status == .exited(0) else {
                        throw LiveUnavailable("the \(module.name) module does not compile as Embedded Swift for \(Self.target):\n" + result.stderr)
                    }
                }
            }
        } catch let error as LiveUnavailable {
            return .failure(error)
        } catch {
            return .failure(LiveUnavailable("cannot build the WebAssembly engine: \(error)"))
        }
        return .success(Modules(folder: folder, objects: objects))
    }

    /// Compiles a note's `sources` against `modules` into `object`.
    func compile(_ sources: [URL], modules: Modules, object: URL) throws -> ProcessRunner.Result {
        try compile(Self.swiftFlags + ["-module-name", "NoteLive", "-I", modules.folder.path] + sources.map(\.path), object: object)
    }

    /// Runs swiftc with `arguments` and makes `object` through LLVM IR and clang: swiftc's own
    /// object writer (Swift 6.3.1, wasm32) leaves 16 bytes per object that differ on every run,
    /// which would make the pages' modules differ between builds; the IR, and clang's object
    /// from it, are the same every time. Returns the failing step's result, or swiftc's.
    private func compile(_ arguments: [String], object: URL) throws -> ProcessRunner.Result {
        let ir = object.deletingPathExtension().appendingPathExtension("ll")
        defer { try? FileManager.default.removeItem(at: ir) }
        let swift = try ProcessRunner.run(swiftc, arguments + ["-emit-ir", "-o", ir.path], timeout: 600)
        guard swift.status == .exited(0) else { return swift }
        let lowered = try ProcessRunner.run(clang, Self.loweringFlags + [ir.path, "-o", object.path], timeout: 600)
        return lowered.status == .exited(0) ? swift : lowered
    }

    /// The wasm-opt arguments that optimise `module` into `output`.
    func optimizeArguments(_ module: URL, output: URL) -> [String] {
        Self.optimizeFlags + [module.path, "-o", output.path]
    }

    /// The wasm-ld arguments that link `objects` into `output`.
    func linkArguments(_ objects: [URL], output: URL) -> [String] {
        Self.linkFlags + Self.exports.map { "--export=\($0)" } + objects.map(\.path) + (unicodeTables.map { [$0.path] } ?? [])
            + ["-o", output.path]
    }
}

/// Why live cells cannot be built for the browser here: the page keeps the static figures.
struct LiveUnavailable: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
