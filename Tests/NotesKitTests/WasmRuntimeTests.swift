import Foundation
import Testing
@testable import NotesKit

/// The C runtime that live cells' WebAssembly modules link with (Resources/Live/runtime.c).
///
/// Each test compiles the runtime with the toolchain's clang for wasm32 and runs it in Node:
/// fma and fmaf must give the bits that this process's hardware `addingProduct` gives, the
/// allocator must align, reuse, grow and fail as documented, and an Embedded Swift module using
/// arrays, dictionaries, strings, classes, closures and SIMD must link with no imports left.
@Suite("Wasm runtime (slow: compiles and runs WebAssembly in node)", .serialized) struct WasmRuntimeTests {
    // MARK: - fma

    @Test func fmaGivesTheHardwareBitsOnRandomAndHardCases() throws {
        var cases = Self.hardCases()
        let hard = cases.count
        var random = SplitMix(seed: 0x5eed_f3a0)
        for index in 0..<2_000_000 { cases.append(Self.randomCase(index, &random)) }
        let input = cases.flatMap { [$0.0, $0.1, $0.2] }
        let output: [Double] = try Self.runArithmetic("fma", input)
        try #require(output.count == cases.count)
        var differences: [String] = []
        var fusedMatters = 0
        for (index, (x, y, z)) in cases.enumerated() {
            let expected = z.addingProduct(x, y)
            if !Self.same(expected, output[index]) {
                differences.append("fma(\(Self.hex(x)), \(Self.hex(y)), \(Self.hex(z))) = \(Self.hex(output[index])), hardware \(Self.hex(expected))")
            }
            if !Self.same(expected, x * y + z) { fusedMatters += 1 }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(cases.count) differ (\(hard) hard cases first): \(differences.prefix(10))")
        // The cases are ones where fusing matters: the unfused x * y + z differs often.
        #expect(fusedMatters > cases.count / 10, "only \(fusedMatters) cases distinguish fma from x * y + z")
    }

    @Test func fmafGivesTheHardwareBits() throws {
        var cases: [(Float, Float, Float)] = []
        var random = SplitMix(seed: 0xf10a7)
        let specials: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                 .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p-75, 0x1p64, 3, Float(1).nextUp]
        for x in specials { for y in specials { for z in specials { cases.append((x, y, z)) } } }
        for index in 0..<400_000 {
            if index % 2 == 0 { // any bits
                let bits = random.next()
                cases.append((Float(bitPattern: UInt32(truncatingIfNeeded: bits)), Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)),
                              Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))))
            } else { // the sum is just off a tie between two floats, past a double's precision:
                // rounding the sum to a double first would give the wrong float
                let a = Int(random.next() % 23) + 1, odd = Float(random.next() % 15 | 1)
                let z = Float(sign: random.next() & 1 == 0 ? .plus : .minus, exponent: Int(random.next() % 250) - 125,
                              significand: 1 + Float(random.next() % (1 << 23)) * 0x1p-23)
                let x = 1 + Float(sign: .plus, exponent: -a, significand: 1)
                var y = Float(sign: random.next() & 1 == 0 ? .plus : .minus, exponent: z.exponent - 24, significand: (1 - Float(sign: .plus, exponent: -a, significand: 1)) * odd)
                if random.next() % 3 == 0 { y = y.nextUp }
                cases.append((x, y, z))
            }
        }
        let output: [Float] = try Self.runArithmetic("fmaf", cases.flatMap { [$0.0, $0.1, $0.2] })
        try #require(output.count == cases.count)
        var differences: [String] = []
        for (index, (x, y, z)) in cases.enumerated() {
            let expected = z.addingProduct(x, y)
            if !(expected.isNaN && output[index].isNaN) && expected.bitPattern != output[index].bitPattern {
                differences.append("fmaf(\(x), \(y), \(z)) = \(output[index]), hardware \(expected)")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(cases.count) differ: \(differences.prefix(10))")
    }

    @Test func roundRoundsHalfwayCasesAwayFromZero() throws {
        var values: [Double] = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 0x1p52, 0x1p52 + 1,
                                4503599627370495.5, -4503599627370495.5, .leastNonzeroMagnitude, .infinity, -.infinity, .nan, .greatestFiniteMagnitude]
        var random = SplitMix(seed: 7)
        for _ in 0..<20_000 { values.append(Double(Int64(bitPattern: random.next()) % 1_000_000) / 8 + Double(bitPattern: random.next() >> 12) * 0x1p-40) }
        for _ in 0..<20_000 { values.append(Double(bitPattern: random.next())) }
        let output: [Double] = try Self.runArithmetic("round", values)
        let floats = values.map { Float($0) }
        let floatOutput: [Float] = try Self.runArithmetic("roundf", floats)
        for (index, value) in values.enumerated() where !Self.same(value.rounded(), output[index]) {
            Issue.record("round(\(value)) = \(output[index]), Swift says \(value.rounded())")
            break
        }
        for (index, value) in floats.enumerated() where !(value.isNaN && floatOutput[index].isNaN) && value.rounded().bitPattern != floatOutput[index].bitPattern {
            Issue.record("roundf(\(value)) = \(floatOutput[index]), Swift says \(value.rounded())")
            break
        }
    }

    // MARK: - The allocator and memory functions

    /// The checks themselves are in the JavaScript driver (allocations, patterns, memory size).
    @Test func theAllocatorAlignsReusesKeepsContentsAndFailsWithNull() throws {
        let report = try Self.runDriver(mode: "allocator", folder: Self.scratch())
        let failures = report["failures"] as? [String] ?? ["no report"]
        #expect(failures.isEmpty, "\(failures)")
        let counts = report["counts"] as? [String: Int] ?? [:]
        // Every group of checks ran (a check that stopped early shows as a missing count).
        let expected: [String: Int] = ["aligned": 221, "einval": 4, "reuse": 2, "realloc": 10, "calloc": 6, "merged": 1,
                                       "out of memory": 3, "memcmp": 2000, "memmove": 1, "strlen": 1]
        for (name, count) in expected { #expect(counts[name] == count, "\(name): \(counts[name] ?? 0) checks passed, not \(count)") }
        #expect((counts["stress contents"] ?? 0) > 10_000)
        #expect((counts["stress blocks disjoint"] ?? 0) > 30)
        #expect(report["imports"] as? [String] == [])
    }

    // MARK: - Embedded Swift

    /// A cell's kind of code: what it needs from outside must all be in the runtime.
    static let cellSource = """
        final class Layer {
            var weights: [Double]
            init(count: Int) { weights = (0..<count).map { Double($0) * 0.1 + 1.0 / 3 } }
        }
        struct Pair<T: Numeric> { var a: T; var b: T; func sum() -> T { a + b } }

        @_expose(wasm, "live_check") @_cdecl("live_check")
        public func liveCheck(_ n: Int32, _ x: Double) -> Double {
            let layer = Layer(count: Int(n))
            var totals: [String: Double] = [:]
            var seen = Set<Int>()
            var vector = SIMD4<Double>(x, -x, x / 3, 1)
            var list: [Double] = []
            var residual = 0.0 // the rounding errors of products, which only a fused multiply-add sees
            for i in 0..<Int(n) {
                let w = layer.weights[i]
                residual += (-(w * x)).addingProduct(w, x)
                totals["k\\(i % 3)", default: 0] += w
                seen.insert(i % 5)
                vector = vector.addingProduct(SIMD4(repeating: w), SIMD4(0.1, 0.2, 0.3, 0.7))
                list.append(w.addingProduct(x, 1.0 / 7))
            }
            list.removeFirst()
            let scale: (Double) -> Double = { $0 * Double(seen.count) }
            var result = scale(vector.sum()) + Pair(a: x, b: 2).sum() + list.reduce(0, +) + residual * 0x1p50
            for key in totals.keys.sorted() { result = result.addingProduct(totals[key]!, 1.0 / 3) }
            print("live_check \\(n) \\(seen.count) \\(totals.count) \\(String(cString: "ok"))")
            return result
        }
        """

    /// `cellSource`'s function, compiled natively with the test.
    static func liveCheck(_ n: Int32, _ x: Double, fused: Bool = true) -> Double {
        let weights = (0..<Int(n)).map { Double($0) * 0.1 + 1.0 / 3 }
        func fma(_ a: Double, _ b: Double, _ c: Double) -> Double { fused ? c.addingProduct(a, b) : a * b + c }
        var totals: [String: Double] = [:]
        var seen = Set<Int>()
        var vector = SIMD4<Double>(x, -x, x / 3, 1)
        var list: [Double] = []
        let factors = SIMD4<Double>(0.1, 0.2, 0.3, 0.7)
        var residual = 0.0
        for i in 0..<Int(n) {
            let w = weights[i]
            residual += fma(w, x, -(w * x))
            totals["k\(i % 3)", default: 0] += w
            seen.insert(i % 5)
            for lane in 0..<4 { vector[lane] = fma(w, factors[lane], vector[lane]) }
            list.append(fma(x, 1.0 / 7, w))
        }
        list.removeFirst()
        var result = vector.sum() * Double(seen.count) + (x + 2) + list.reduce(0, +) + residual * 0x1p50
        for key in totals.keys.sorted() { result = fma(totals[key]!, 1.0 / 3, result) }
        return result
    }

    @Test func anEmbeddedSwiftCellLinksWithNoImportsAndGivesTheNativeBits() throws {
        let tools = try Self.tools()
        let folder = try Self.scratch()
        let source = folder.appendingPathComponent("cell.swift"), object = folder.appendingPathComponent("cell.o")
        try Self.cellSource.write(to: source, atomically: true, encoding: .utf8)
        try Self.run(tools.swiftc, ["-target", "wasm32-unknown-none-wasm", "-enable-experimental-feature", "Embedded", "-wmo", "-Osize",
                                    "-parse-as-library", "-Xfrontend", "-disable-stack-protector", source.path, "-c", "-o", object.path])
        // String hashing needs the Unicode tables, a library of the toolchain's own.
        let tables = tools.swiftc.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib/swift/embedded/wasm32-unknown-none-wasm/libswiftUnicodeDataTables.a")
        let module = folder.appendingPathComponent("cell.wasm")
        try Self.run(tools.wasmLD, ["--no-entry", "--gc-sections", "--export=live_check", "--export=live_output", "--export=live_output_length",
                                    object.path, try Self.runtimeObject().path, tables.path, "-o", module.path])
        let report = try Self.runDriver(mode: "cell", folder: folder, module: module)
        #expect(report["imports"] as? [String] == [])
        #expect(report["output"] as? String == "live_check 20 5 3 ok\n")
        let expected = Self.liveCheck(20, 0.1)
        #expect(report["result"] as? String == String(expected.bitPattern, radix: 16), "native \(expected)")
        #expect(expected != Self.liveCheck(20, 0.1, fused: false), "the check should depend on fused rounding")
    }

    // MARK: - Cases

    /// Targeted cases, each also with the factors swapped and with the signs flipped.
    static func hardCases() -> [(Double, Double, Double)] {
        let max = Double.greatestFiniteMagnitude, tiny = Double.leastNonzeroMagnitude, minNormal = Double.leastNormalMagnitude
        var cases: [(Double, Double, Double)] = [
            // exact cancellation: +0 when rounding to nearest
            (3, 5, -15), (0x1.8p-1, 0x1.0000000000001p0, -0x1.8000000000001p-1),
            (0x1p-537, 0x1p-537, -0x1p-1074), (0x1.8p-1000, 0x1p-70, -0x1.8p-1070), (max, 1, -max),
            // ties: the product is exactly half an ulp of z (even stays, odd rounds up)
            (0x1p-26, 0x1p-27, 1), (0x1p-26, 0x1p-27, 0x1.0000000000001p0), (3, 0x1p-54, 1), (0x1p-537, 0x1p-538, 0x1p-1073),
            (0x1p-537, 0x1p-538, 0x3p-1074), (0x1p-537, 0x1p-538, 0), (0x1.8p-537, 0x1p-538, 0), (1, 0x1p970, max),
            // sticky bits just off the tie, both ways
            (0x1.0000000000001p-53, 1, 1), (0x1.fffffffffffffp-54, 1, 1), (-0x1.0000000000001p-54, 1, 1),
            (0x1.0000000000001p-27, 0x1.0000000000001p-27, 1), (0x1.fffffffffffffp-27, 0x1.fffffffffffffp-27, -1),
            // tiny products and big addends, big products and tiny addends
            (0x1p-600, 0x1p-600, 1), (tiny, tiny, -1), (tiny, 0.5, 1), (0x1p500, 0x1p500, tiny), (0x1p500, 0x1p500, -tiny),
            (0x1.fffffffffffffp511, 0x1.fffffffffffffp511, -0x1p-1000), (1, 1, 0x1p-60), (1, 0x1.0000000000001p0, -0x1p-200),
            // subnormal operands and results, and results crossing into the normal range
            (tiny, 0x1p52, tiny), (0x0.fffffffffffffp-1022, 1, tiny), (tiny, 0.5, 0), (tiny, 1.5, 0), (tiny, 0x1.8p-1, tiny),
            (0x1p-1022, 0x1p-1, -tiny), (minNormal, 0x1.fffffffffffffp-1, tiny), (0x1.23456789abcdep-30, 0x1.fedcba9876543p-1000, 0x1p-1060),
            (0x0.0000000000001p-1022, 0x1p1000, -0x1p-74), (minNormal, minNormal, minNormal), (minNormal, -0x1p-53, minNormal),
            // overflow: the product overflows but the sum does not, and sums that just overflow
            (max, 2, -max), (max, 1, max), (max, 1, 0x1p970), (max, 1, 0x1p970.nextDown), (0x1p1023, 2, -0x1p1023),
            (max, 1 + 0x1p-52, -max), (0x1p1000, 0x1p1000, -.infinity), (0x1p512, 0x1p512, 0), (0x1.fffffffffffffp511, 0x1.0000000000001p512, -0x1p970),
            // infinities and NaN
            (.infinity, 0, 1), (.infinity, 1, -.infinity), (.infinity, 1, .infinity), (1, 1, .infinity), (max, 2, .infinity),
            (.nan, 1, 1), (1, .nan, 1), (1, 1, .nan), (0, .infinity, .nan), (.infinity, -.infinity, 1),
            // signed zeros
            (0, 1, -0.0), (-0.0, 1, -0.0), (-0.0, 1, 0), (1, 1, -1), (-tiny, tiny, 0), (tiny, tiny, -0.0), (-tiny, tiny, -0.0),
            (-0.0, -0.0, -0.0), (0, -.infinity, 0), (-0.0, 5, 0x1p-1074), (1, -1, 1), (0x1p-1074, -0x1p-1, 0),
        ]
        for (x, y, z) in cases { cases.append((y, x, z)); cases.append((-x, y, -z)); cases.append((x, -y, z)) }
        return cases
    }

    /// One pseudo-random case: any bits, or shapes that exercise alignment, cancellation, ties,
    /// subnormals and overflow, with significands that often end in zeros (exact products).
    static func randomCase(_ index: Int, _ random: inout SplitMix) -> (Double, Double, Double) {
        func make(_ field: Int) -> Double {
            let r = random.next()
            var significand = random.next() & 0x000f_ffff_ffff_ffff
            let zeros = Int(r >> 8) & 63
            if r & 3 == 0 && zeros < 52 { significand &= ~((1 << zeros) - 1) }
            return Double(bitPattern: (r & (1 << 63)) | UInt64(Swift.min(Swift.max(field, 0), 2047)) << 52 | significand)
        }
        let fx = Int(random.next() % 2048), fy = Int(random.next() % 2048)
        switch index % 8 {
        case 0: return (Double(bitPattern: random.next()), Double(bitPattern: random.next()), Double(bitPattern: random.next()))
        case 1: let x = make(fx), y = make(fy); return (x, y, make(fx + fy - 1023 + Int(random.next() % 121) - 60))
        case 2: // z = -(x * y) rounded, give or take a few ulps: the result is the product's rounding error
            let x = make(fx), y = make(fy), z = -(x * y)
            return (x, y, z.isFinite ? Double(bitPattern: z.bitPattern &+ UInt64(bitPattern: Int64(random.next() % 9) - 4)) : z)
        case 3: return (make(1023 + Int(random.next() % 60) - 30), make(-51 + Int(random.next() % 120) - 60), make(Int(random.next() % 60)))
        case 4: let x = make(fx); return (x, make(3070 - fx - Int(random.next() % 6)), make(2040 + Int(random.next() % 8)))
        case 5: let x = make(fx), y = make(fy); return (x, y, make(fx + fy - 1023 + Int(random.next() % 2001) - 1000))
        case 6: return (make(fx), make(fy), make(Int(random.next() % 2048)))
        default: // an odd multiple of half an ulp of z, or one ulp of the factor away from it
            let z = make(1 + Int(random.next() % 2000))
            let odd = Double((random.next() & 0xfffff) | 1) * (random.next() & 1 == 0 ? 1 : -1)
            var y = Double(bitPattern: UInt64(Swift.max(Int(z.bitPattern >> 52 & 0x7ff) - 53, 1)) << 52)
            if random.next() & 1 == 0 { y = random.next() & 1 == 0 ? y.nextUp : y.nextDown }
            return (odd, y, z)
        }
    }

    /// SplitMix64: a fixed-seed generator, so every run tests the same cases.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// Equal bits, or both NaN (NaN payloads are not specified).
    static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    static func hex(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

    // MARK: - Building and running

    struct Tools {
        var swiftc: URL, clang: URL, wasmLD: URL, node: URL
    }

    /// The toolchain's clang and wasm-ld (beside `swiftc`, found on PATH or in /opt/swift) and node.
    static func tools() throws -> Tools {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String, in folders: [String]) -> URL? {
            folders.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }
        guard let swiftc = find("swiftc", in: path + ["/opt/swift/usr/bin"]) else {
            throw Failure("swiftc is neither on PATH nor in /opt/swift/usr/bin")
        }
        // swiftc may be a link (to swift-driver, which must be called swiftc): its folder holds the tools.
        let bin = swiftc.resolvingSymlinksInPath().deletingLastPathComponent().path
        guard let clang = find("clang", in: [bin]), let wasmLD = find("wasm-ld", in: [bin]) else {
            throw Failure("the toolchain at \(bin) has no clang or wasm-ld beside swiftc")
        }
        guard let node = find("node", in: path) ?? find("nodejs", in: path) else {
            throw Failure("node is not on PATH: these tests run WebAssembly in Node.js (apt-get install nodejs)")
        }
        return Tools(swiftc: swiftc, clang: clang, wasmLD: wasmLD, node: node)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let runtimeSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/NotesKit/Resources/Live/runtime.c")

    /// A fresh folder, removed when the test process ends.
    static func scratch() throws -> URL {
        let folder = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static let root: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-wasm-runtime-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: WasmRuntimeTests.root) }
        return folder
    }()

    /// Runs a tool, throwing with its output if it fails.
    @discardableResult static func run(_ tool: URL, _ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run(tool, arguments, timeout: 300)
        guard result.status == .exited(0) else {
            throw Failure("\(tool.lastPathComponent) \(arguments.joined(separator: " ")): \(result.status)\n\(result.stderr)\(result.stdout)")
        }
        return result.stdout
    }

    /// runtime.c compiled for wasm32, once per test run.
    static func runtimeObject() throws -> URL { try compiled.get() }

    private static let compiled: Result<URL, Error> = Result {
        let object = try scratch().appendingPathComponent("runtime.o")
        try run(try tools().clang, ["--target=wasm32-unknown-unknown", "-nostdlib", "-ffreestanding", "-O2", "-mbulk-memory",
                                    "-Wall", "-Wextra", "-c", runtimeSource.path, "-o", object.path])
        return object
    }

    /// The test module: the runtime alone, its functions exported, at most 64 MiB of memory.
    private static let testModule: Result<URL, Error> = Result {
        let module = try scratch().appendingPathComponent("runtime.wasm")
        let exports = ["fma", "fmaf", "round", "roundf", "malloc", "free", "calloc", "realloc", "posix_memalign", "aligned_alloc",
                       "memcmp", "memcpy", "memmove", "memset", "strlen"]
        try run(try tools().wasmLD, ["--no-entry", "--gc-sections", "--max-memory=67108864"] + exports.map { "--export=\($0)" }
                + [try runtimeObject().path, "-o", module.path])
        return module
    }

    /// Runs `name` over `input` (the operands, one after another) in the test module.
    static func runArithmetic<T: BinaryFloatingPoint>(_ name: String, _ input: [T]) throws -> [T] {
        precondition(UInt16(1).littleEndian == 1, "the files are little-endian, as in WebAssembly")
        let folder = try scratch()
        try input.withUnsafeBytes { try Data($0).write(to: folder.appendingPathComponent("\(name)-in.bin")) }
        _ = try runDriver(mode: "arithmetic", folder: folder)
        let data = try Data(contentsOf: folder.appendingPathComponent("\(name)-out.bin"))
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    /// Runs the JavaScript driver in node and returns its JSON report.
    static func runDriver(mode: String, folder: URL, module: URL? = nil) throws -> [String: Any] {
        let script = folder.appendingPathComponent("driver.cjs")
        try driver.write(to: script, atomically: true, encoding: .utf8)
        let module = try module ?? testModule.get()
        let result = try ProcessRunner.run(try tools().node, [script.path, module.path, folder.path, mode], timeout: 300)
        guard result.status == .exited(0),
              let report = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw Failure("node \(mode): \(result.status)\n\(result.stderr.suffix(2000))\(result.stdout.suffix(2000))")
        }
        return report
    }

    /// The driver: node driver.cjs module.wasm folder mode, printing a JSON report.
    ///
    /// "arithmetic" maps folder/NAME-in.bin to NAME-out.bin through the export NAME; "allocator"
    /// checks malloc and the rest with patterns, intervals and the memory's size; "cell" calls
    /// live_check(20, 0.1) and reads what it printed.
    static let driver = #"""
        'use strict';
        const fs = require('fs');
        const path = require('path');
        const [wasmPath, folder, mode] = process.argv.slice(2);
        const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
        const report = { imports: WebAssembly.Module.imports(wasmModule).map(i => `${i.module}.${i.name}`), failures: [], counts: {}, timings: {} };
        const e = new WebAssembly.Instance(wasmModule, {}).exports;
        const fail = message => { if (report.failures.length < 40) report.failures.push(message); };
        const count = name => { report.counts[name] = (report.counts[name] || 0) + 1; };
        const bytes = () => new Uint8Array(e.memory.buffer);
        const words = () => new Uint32Array(e.memory.buffer);
        const file = name => path.join(folder, name);

        if (mode === 'arithmetic') {
          const kinds = { fma: [Float64Array, 3], fmaf: [Float32Array, 3], round: [Float64Array, 1], roundf: [Float32Array, 1] };
          for (const [name, [Type, arity]] of Object.entries(kinds)) {
            if (!fs.existsSync(file(`${name}-in.bin`))) continue;
            const b = fs.readFileSync(file(`${name}-in.bin`));
            const input = new Type(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)), n = input.length / arity, output = new Type(n), f = e[name];
            const start = process.hrtime.bigint();
            if (arity === 3) for (let i = 0; i < n; i++) output[i] = f(input[3 * i], input[3 * i + 1], input[3 * i + 2]);
            else for (let i = 0; i < n; i++) output[i] = f(input[i]);
            report.timings[name] = Number(process.hrtime.bigint() - start) / 1e9;
            fs.writeFileSync(file(`${name}-out.bin`), new Uint8Array(output.buffer));
          }
        }

        if (mode === 'cell') {
          const result = e.live_check(20, 0.1);
          const view = new DataView(new ArrayBuffer(8)); view.setFloat64(0, result, true);
          report.result = view.getBigUint64(0, true).toString(16);
          report.output = Buffer.from(e.memory.buffer, e.live_output(), e.live_output_length()).toString('utf8');
        }

        if (mode === 'allocator') {
          let seed = 12345;
          const random = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
          const randomInt = n => Math.floor(random() * n);
          const cell = e.malloc(4); // where posix_memalign stores its result
          const memalign = (alignment, size) => { const status = e.posix_memalign(cell, alignment, size); return status === 0 ? words()[cell >>> 2] : -status; };
          const pattern = (tag, i) => (tag * 31 + i * 7 + (i >> 8)) & 255;
          const fill = (p, size, tag) => { if (p <= 0) throw new Error(`filling NULL (${size} bytes)`); const m = bytes(); for (let i = 0; i < size; i++) m[p + i] = pattern(tag, i); };
          const holds = (p, size, tag) => { const m = bytes(); for (let i = 0; i < size; i++) if (m[p + i] !== pattern(tag, i)) return false; return true; };
          const disjoint = (blocks, what) => {
            const sorted = blocks.filter(b => b.size > 0).sort((a, b) => a.p - b.p);
            for (let i = 1; i < sorted.length; i++)
              if (sorted[i - 1].p + sorted[i - 1].size > sorted[i].p) { fail(`${what}: blocks at ${sorted[i - 1].p} (+${sorted[i - 1].size}) and ${sorted[i].p} overlap`); return; }
            count(what);
          };
          const section = (name, body) => { try { body(); } catch (error) { fail(`${name}: ${error.stack}`); } };

          section('alignment', () => { // 1 ... 65536, many sizes, all live at once
            const live = [];
            let tag = 0;
            for (let shift = 0; shift <= 16; shift++) for (const size of [0, 1, 7, 8, 15, 16, 17, 24, 100, 1000, 4095, 4096, 10000]) {
              const alignment = 2 ** shift, p = shift % 2 ? memalign(alignment, size) : e.aligned_alloc(alignment, size);
              if (p <= 0) { fail(`alignment ${alignment}, size ${size}: got ${p}`); continue; }
              if (p % Math.max(alignment, 16) !== 0) fail(`alignment ${alignment}, size ${size}: ${p} is misaligned`); else count('aligned');
              fill(p, size, ++tag); live.push({ p, size, tag });
            }
            for (const b of live) if (!holds(b.p, b.size, b.tag)) fail(`aligned block ${b.tag} was overwritten`);
            disjoint(live, 'aligned blocks disjoint');
            for (const b of live) e.free(b.p);
            for (const alignment of [0, 3, 12, 4097]) {
              if (e.posix_memalign(cell, alignment, 8) !== 22) fail(`posix_memalign(${alignment}) should be EINVAL`); else count('einval');
              if (e.aligned_alloc(alignment, 8) !== 0) fail(`aligned_alloc(${alignment}) should fail`);
            }
          });

          section('reuse', () => { // alloc/free loops, like a training loop's arrays, must not grow memory
            for (let i = 0; i < 1000; i++) e.free(e.malloc(8 + (i % 97) * 40));
            let before = e.memory.buffer.byteLength;
            for (let i = 0; i < 100000; i++) {
              const p = e.malloc(8 + (i % 97) * 40);
              if (!p) { fail('malloc failed in the reuse loop'); break; }
              bytes()[p] = i & 255;
              e.free(p);
            }
            if (e.memory.buffer.byteLength !== before) fail(`10^5 malloc/free pairs grew memory from ${before} to ${e.memory.buffer.byteLength}`); else count('reuse');
            const round = i => { // several arrays alive at once, freed in varying order
              const ps = [e.malloc(800), memalign(64, 8000), e.malloc(80000), e.calloc(1000, 8), e.malloc(24)];
              ps[2] = e.realloc(ps[2], 120000);
              for (const k of [i % 5, (i + 2) % 5, (i + 4) % 5, (i + 1) % 5, (i + 3) % 5]) e.free(ps[k]);
            };
            for (let i = 0; i < 100; i++) round(i);
            before = e.memory.buffer.byteLength;
            for (let i = 0; i < 20000; i++) round(i);
            if (e.memory.buffer.byteLength !== before) fail(`array rounds grew memory from ${before} to ${e.memory.buffer.byteLength}`); else count('reuse');
          });

          section('realloc', () => { // contents kept, growing and shrinking, in place or moved
            let p = e.realloc(0, 10), size = 10;
            fill(p, size, 77);
            for (const next of [100, 1000, 1001, 50, 100000, 16, 300000, 7]) {
              const q = e.realloc(p, next);
              if (!q) { fail(`realloc to ${next} failed`); break; }
              if (!holds(q, Math.min(size, next), 77)) fail(`realloc ${size} -> ${next} lost contents`); else count('realloc');
              fill(q, next, 77); p = q; size = next;
            }
            const a = e.malloc(100), b = e.malloc(200), c = e.malloc(100); // into a freed neighbour, then past it
            fill(a, 100, 5); fill(c, 100, 6); e.free(b);
            const a2 = e.realloc(a, 250);
            if (!holds(a2, 100, 5) || !holds(c, 100, 6)) fail('realloc into a free neighbour lost contents'); else count('realloc');
            const a3 = e.realloc(a2, 5000);
            if (!holds(a3, 100, 5) || !holds(c, 100, 6)) fail('realloc past a neighbour lost contents'); else count('realloc');
            if (e.realloc(p, 0) !== 0) fail('realloc(p, 0) should free and return NULL');
            e.free(a3); e.free(c);
          });

          section('calloc', () => { // zeroes memory that was dirty; refuses overflowing sizes
            const dirty = [64, 8000, 80000].map(size => { const p = e.malloc(size); bytes().fill(0xAA, p, p + size); return p; });
            for (const p of dirty) e.free(p);
            for (const [n, size] of [[8, 8], [1000, 8], [10000, 8], [3, 33], [0, 8]]) {
              const p = e.calloc(n, size);
              if (!p) { fail(`calloc(${n}, ${size}) failed`); continue; }
              if (bytes().subarray(p, p + n * size).some(x => x !== 0)) fail(`calloc(${n}, ${size}) is not zeroed`); else count('calloc');
              e.free(p);
            }
            if (e.calloc(0x10000, 0x10001) !== 0) fail('calloc with an overflowing size should fail'); else count('calloc');
          });

          section('stress', () => { // random operations on many live blocks; contents checked on every change
            const live = [];
            let tag = 1000;
            const sizeOf = () => { const r = random(); return r < 0.5 ? randomInt(64) : r < 0.85 ? randomInt(2048) : r < 0.98 ? randomInt(70000) : randomInt(1 << 20); };
            const check = (b, what) => { if (!holds(b.p, b.size, b.tag)) fail(`${what}: block ${b.tag} (${b.size} bytes at ${b.p}) was overwritten`); else count('stress contents'); };
            for (let step = 0; step < 30000; step++) {
              const r = random();
              if (live.length > 0 && (r < 0.4 || live.length > 300)) {
                const b = live.splice(randomInt(live.length), 1)[0];
                check(b, 'before free'); e.free(b.p);
              } else if (live.length > 0 && r < 0.55) {
                const b = live[randomInt(live.length)], size = sizeOf(), q = e.realloc(b.p, size);
                if (size === 0) { live.splice(live.indexOf(b), 1); continue; }
                if (!q) { fail(`realloc to ${size} failed`); continue; }
                const old = b.size; b.p = q; b.size = Math.min(old, size);
                check(b, 'after realloc'); b.size = size; b.tag = ++tag; fill(q, size, b.tag);
              } else {
                const size = sizeOf(), kind = randomInt(3), alignment = 2 ** randomInt(13);
                const p = kind === 0 ? e.malloc(size) : kind === 1 ? memalign(alignment, size) : e.calloc(1, size);
                if (p <= 0) { fail(`allocation of ${size} failed`); continue; }
                if (p % (kind === 1 ? Math.max(16, alignment) : 16) !== 0) fail(`block of ${size} at ${p} misaligned`);
                const b = { p, size, tag: ++tag }; fill(p, size, b.tag); live.push(b);
              }
              if (step % 1000 === 0) disjoint(live, 'stress blocks disjoint');
            }
            for (const b of live) check(b, 'at the end');
            disjoint(live, 'stress blocks disjoint');
            for (const b of live) e.free(b.p);
            // Everything free again has merged back: one block nearly the heap's size fits.
            const first = e.malloc(16), length = e.memory.buffer.byteLength; e.free(first);
            const whole = e.malloc(length - first - 65536);
            if (!whole || e.memory.buffer.byteLength !== length) fail(`freed memory did not merge (${whole}, ${length} -> ${e.memory.buffer.byteLength})`); else count('merged');
            e.free(whole);
          });

          section('out of memory', () => { // past the 64 MiB maximum: NULL, no trap, and the heap still works
            const p = e.malloc(1000); fill(p, 1000, 9);
            const results = [e.malloc(100 << 20), e.calloc(100, 1 << 20), e.realloc(p, 100 << 20), e.aligned_alloc(4096, 100 << 20), e.malloc(0xffffffff)];
            if (results.some(q => q !== 0)) fail(`allocations beyond the maximum returned ${results}`); else count('out of memory');
            if (e.posix_memalign(cell, 64, 100 << 20) !== 12) fail('posix_memalign beyond the maximum should be ENOMEM'); else count('out of memory');
            if (!holds(p, 1000, 9)) fail('a failed realloc changed the block');
            const q = e.malloc(1 << 20);
            if (!q) fail('malloc after running out failed'); else count('out of memory');
            e.free(q); e.free(p);
          });

          section('memory functions', () => {
            const a = e.malloc(300), b = e.malloc(300);
            for (let t = 0; t < 2000; t++) {
              const n = randomInt(40), offA = randomInt(8), offB = randomInt(8), m = bytes();
              for (let i = 0; i < n; i++) m[a + offA + i] = m[b + offB + i] = randomInt(256);
              let expected = 0;
              if (n > 0 && random() < 0.7) {
                m[b + offB + randomInt(n)] = randomInt(256);
                for (let i = 0; i < n; i++) if (m[a + offA + i] !== m[b + offB + i]) { expected = Math.sign(m[a + offA + i] - m[b + offB + i]); break; }
              }
              if (Math.sign(e.memcmp(a + offA, b + offB, n)) !== expected) fail(`memcmp of ${n} bytes: expected sign ${expected}`); else count('memcmp');
            }
            const m = bytes(), at = i => bytes()[i];
            for (let i = 0; i < 300; i++) m[a + i] = i & 255;
            let ok = true;
            e.memmove(a + 10, a, 200); for (let i = 0; i < 200; i++) if (at(a + 10 + i) !== (i & 255)) ok = false;
            e.memmove(b, a + 10, 100); for (let i = 0; i < 100; i++) if (at(b + i) !== (i & 255)) ok = false;
            e.memset(b + 3, 0x1ff, 50); for (let i = 0; i < 50; i++) if (at(b + 3 + i) !== 0xff) ok = false;
            if (at(b + 2) !== 2 || at(b + 53) !== 53) ok = false;
            e.memcpy(a, b, 60); for (let i = 0; i < 60; i++) if (at(a + i) !== at(b + i)) ok = false;
            if (!ok) fail('memmove, memset or memcpy wrote the wrong bytes'); else count('memmove');
            bytes().set([104, 105, 0], a);
            if (e.strlen(a) !== 2) fail('strlen'); else count('strlen');
            e.free(a); e.free(b);
          });
        }

        console.log(JSON.stringify(report));
        """#
}
