/// Which labelled equations are backed by passing test blocks, across the whole course.
///
/// A test block is a cell with `test=eq-…`. An equation is verified when at least one test
/// block refers to it and every such block passed (ran to its end with all expectations held);
/// failed when one of them failed or did not run; unverified when none refers to it.
struct EquationVerification: Sendable {
    enum Status: String, Sendable {
        case verified, failed, unverified
    }

    /// A test block as an equation sees it.
    struct Test: Sendable {
        /// The page of the note holding the test block, e.g. `backprop.html`.
        var page: String
        /// The test block's result on that page (`Notebook.Cell.anchor`).
        var anchor: String
        var passed: Bool
        var message: String?
    }

    /// One labelled equation's evidence.
    struct Entry: Sendable {
        /// The equation's label, which is also its `id` on its page.
        var label: String
        var file: String
        /// The page of the note holding the equation, e.g. `backprop.html`.
        var page: String
        var noteTitle: String
        var line: Int
        var displayName: String
        var tests: [Test] = []
        var expectations = 0
        var maxRelativeError: Double?

        var status: Status {
            if tests.isEmpty { return .unverified }
            return tests.allSatisfy(\.passed) ? .verified : .failed
        }
    }

    private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    init(notes: [Note], verdicts: [String: NotebookVerdict]) {
        for note in notes {
            for equation in note.equations {
                guard let label = equation.label else { continue }
                positions[label] = entries.count
                entries.append(Entry(label: label, file: note.file,
                                     page: note.href, noteTitle: note.frontMatter.title, line: equation.line,
                                     displayName: equation.displayName ?? label))
            }
        }
        for note in notes {
            guard let verdict = verdicts[note.slug] else { continue }
            for cell in verdict.cells where !cell.cell.options.tests.isEmpty {
                var passed = false
                var message: String?
                switch cell.status {
                case .passed: passed = true
                case .failed(let text): message = text
                case .notRun: message = "not run: an earlier cell stopped the note"
                case .skipped: message = "the test block is marked no-run"
                }
                let expectations = cell.expectations
                let worst = expectations.compactMap(\.record.maxRelativeError).max()
                let test = Test(page: note.href, anchor: cell.cell.anchor, passed: passed, message: message)
                for label in cell.cell.options.tests {
                    guard let position = positions[label] else { continue }
                    entries[position].tests.append(test)
                    entries[position].expectations += expectations.count
                    if let worst { entries[position].maxRelativeError = max(entries[position].maxRelativeError ?? 0, worst) }
                }
            }
        }
    }

    func entry(_ label: String) -> Entry? { positions[label].map { entries[$0] } }

    var verifiedCount: Int { entries.filter { $0.status == .verified }.count }
    var failedCount: Int { entries.filter { $0.status == .failed }.count }
    var unverifiedCount: Int { entries.filter { $0.status == .unverified }.count }
}
