import Foundation
import NotesKit

#if FUZZING
/// The libFuzzer entry over one note's parse → extract → render path (`FuzzInput`).
///
/// Built with `-sanitize=fuzzer -parse-as-library -D FUZZING` by `script/fuzz`, libFuzzer calls
/// it with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzInput.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// The program's entry: SwiftPM links an executable's `main` to `NotesFuzz_main`, so this hands
/// the command line to libFuzzer's driver (its own `main` is then not linked in).
@_cdecl("NotesFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Built plainly (as `swift build` does), the fuzz target replays the files or folders given as
/// arguments: how a crash the fuzzer found is reproduced.
@main struct ReplayFuzzInputs {
    static func main() {
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) {
                files += names.sorted().map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: notes-fuzz FILE-OR-FOLDER…  (replays inputs; see script/fuzz)\n".utf8))
            exit(2)
        }
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file.path) else { continue }
            FuzzInput.run(Array(bytes))
        }
        print("replayed \(files.count) inputs")
    }
}
#endif
