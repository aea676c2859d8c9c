import Foundation
import Testing
@testable import NotesKit

/// Which engine modules the tool compiles for notes, and with which flags.
@Suite("Engine sources") struct EngineSourcesTests {
    #if arch(x86_64)
    @Test func theWideKernelIsCompiledForAVX512WithItsCPUCheckBesideIt() throws {
        let sources = try EngineSources.locate()
        #expect(sources.modules.map(\.name) == EngineSources.moduleNames)
        #expect(sources.headerModule?.map(\.lastPathComponent) == ["module.modulemap", "cpu_features.h"])
        #expect(Toolchain.libraryFlags(for: "BackpropAVX512").suffix(2) == ["-target-cpu", "skylake-avx512"])
        #expect(Toolchain.libraryFlags(for: "Backprop").suffix(2) == ["-target-cpu", "haswell"])
    }

    @Test func sourcesWithoutTheCPUCheckKeepToTheNarrowKernel() throws {
        let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("notes-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        for module in EngineSources.moduleNames {
            try FileManager.default.copyItem(at: real.appendingPathComponent(module), to: copy.appendingPathComponent(module))
        }
        let sources = try EngineSources.locate(root: copy)
        #expect(sources.headerModule == nil)
        #expect(!sources.modules.map(\.name).contains("BackpropAVX512"))
        #expect(sources.modules.map(\.name).contains("Backprop"))
    }
    #endif
}
