import Foundation

/// Settings shared by the tests that compile notes.
enum TestEnvironment {
    /// One folder for the compiled engine across every test of the run, so it is built once.
    static let engineCache: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-test-engine-\(getpid())")
        setenv("NOTES_ENGINE_CACHE", folder.path, 1)
        return folder
    }()

    /// Call before building notes in a test.
    static func prepare() {
        _ = engineCache
    }
}
