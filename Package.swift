// swift-tools-version:6.0
import PackageDescription

/// The Backprop engine's kernels need AVX2 and FMA code generation (Swift's x86-64 default is SSE2,
/// where `addingProduct` becomes a libm call); `-O` also in debug keeps `swift test` fast
/// (the BackpropTests suite: about 1 s instead of about 18 s). The benchmark measures the peak with
/// the same code generation.
#if arch(x86_64)
let backpropSettings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"]), .unsafeFlags(["-O"], .when(configuration: .debug)),
]
/// The 512-bit micro-kernel, compiled for AVX-512 in a module of its own (Swift has no per-function
/// target attributes); Backprop calls it only when CPUID and XGETBV say the CPU and OS run it.
let avx512Settings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "skylake-avx512"]), .unsafeFlags(["-O"], .when(configuration: .debug)),
]
/// The same kernel source (a symbolic link to BackpropAVX512's file) compiled for AVX2, where each
/// `SIMD8<Double>` operation becomes two 256-bit ones: what lets the tests run the 8 × 24 tiles bit
/// for bit against the 6 × 8 ones on CPUs without AVX-512. Training never chooses it by itself.
let kernelTargets: [Target] = [
    .systemLibrary(name: "CBackpropCPU", path: "Sources/CBackpropCPU"),
    .target(name: "BackpropAVX512", swiftSettings: avx512Settings),
    .target(name: "BackpropAVX512Emulated", swiftSettings: backpropSettings),
]
let kernelDependencies: [Target.Dependency] = ["CBackpropCPU", "BackpropAVX512", "BackpropAVX512Emulated"]
#else
let backpropSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
let kernelTargets: [Target] = []
let kernelDependencies: [Target.Dependency] = []
#endif

let package = Package(
    name: "notes",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "notes", targets: ["notes"]),
        .library(name: "NotesKit", targets: ["NotesKit"]),
        .library(name: "Backprop", targets: ["Backprop"]),
        .executable(name: "backprop-benchmark", targets: ["BackpropBenchmark"]),
        .executable(name: "notes-benchmark", targets: ["NotesBenchmark"]),
        .executable(name: "cells-benchmark", targets: ["CellsBenchmark"]),
        .executable(name: "notes-fuzz", targets: ["NotesFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        /// The GitHub-flavoured CommonMark parser, from Debian's libcmark-gfm-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(
            name: "NotesKit",
            dependencies: [
                "CCmarkGFM",
                "NotebookSupport",
                "LiveSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftIDEUtils", package: "swift-syntax"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ],
            resources: [.copy("Resources")]
        ),
        /// What note cells link against besides the engine: runtime hooks, charts, tables,
        /// canonical numbers. Built here for its tests; the tool compiles it from source for notes.
        .target(name: "NotebookSupport", dependencies: ["Backprop"], swiftSettings: [.swiftLanguageMode(.v5)]),
        /// The API live cells draw and take controls with; also compiled into each note's
        /// WebAssembly module, so it is written in the Embedded Swift subset.
        .target(name: "LiveSupport", swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(
            name: "notes",
            dependencies: [
                "NotesKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "NotesBenchmark", dependencies: ["NotesKit"], path: "Sources/NotesBenchmark"),
        /// Build times with and without the cell cache, and per-note overhead over bare swiftc.
        .executableTarget(name: "CellsBenchmark", dependencies: ["NotesKit"]),
        /// The libFuzzer target over parse → extract → render (script/fuzz); plainly built, it replays inputs.
        .executableTarget(name: "NotesFuzz", dependencies: ["NotesKit"]),
        /// The neural-network engine the notes run against; depends on nothing.
        .target(name: "Backprop", dependencies: kernelDependencies, swiftSettings: backpropSettings),
        .executableTarget(name: "BackpropBenchmark", dependencies: ["Backprop"] + kernelDependencies,
                          swiftSettings: backpropSettings),
        .testTarget(name: "BackpropTests", dependencies: ["Backprop"], exclude: ["Fixtures"]),
        .testTarget(
            name: "NotesKitTests",
            dependencies: ["NotesKit", "LiveSupport"],
            resources: [.copy("Fixtures")]
        ),
    ] + kernelTargets
)
