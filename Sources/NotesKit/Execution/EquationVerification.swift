/// Which labelled equations are backed by passing test blocks, across the whole course.
///
/// A test block is a cell with `test=eq-…`. An equation is verified when at least one test
/// block refers to it and every such block passed (ran to its end with all expectations held);
/// failed when one of them failed or did not run; unverified when none refers to it.
public struct EquationVerification: Sendable {
    public enum Status: String, Sendable {
        case verified, failed, unverified
    }

    /// A test block as an equation sees it.
    public struct Test: Sendable {
        public var href: String
        public var name: String
        public var passed: Bool
        public var message: String?
    }

    /// One labelled equation's evidence.
    public struct Entry: Sendable {
        public var label: String
        public var file: String
        public var href: String
        public var noteTitle: String
        public var line: Int
        public var displayName: String
        public var tests: [Test] = []
        public var expectations = 0
        public var maxRelativeError: Double?

        public var status: Status {
            if tests.isEmpty { return .unverified }
            return tests.allSatisfy(\.passed) ? .verified : .failed
        }
    }

    public private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    public init(notes: [Note], verdicts: [String: NotebookVerdict]) {
        for note in notes {
            for equation in note.equations {
                guard let label = equation.label else { continue }
                positions[label] = entries.count
                entries.append(Entry(label: label, file: note.file,
                                     href: note.href + "#" + label, noteTitle: note.frontMatter.title, line: equation.line,
                                     displayName: equation.displayName ?? label))
            }
        }
        for note in notes {
            guard let verdict = verdicts[note.slug] else { continue }
            for cell in verdict.cells where !cell.cell.options.tests.isEmpty {
                let anchor = "cell-" + (cell.cell.options.id ?? String(cell.cell.index + 1))
                var passed = false
                var message: String?
                switch cell.status {
                case .passed: passed = true
                case .failed(let text): message = text
                case .notRun: message = "not run: an earlier cell stopped the note"
                case .skipped: message = "the test block is marked no-run"
                }
                let expectations = cell.result?.expectations ?? []
                let worst = expectations.compactMap(\.maxRelativeError).max()
                let test = Test(href: note.href + "#" + anchor, name: "\(note.file):\(cell.cell.firstLine)", passed: passed, message: message)
                for label in cell.cell.options.tests {
                    guard let position = positions[label] else { continue }
                    entries[position].tests.append(test)
                    entries[position].expectations += expectations.count
                    if let worst { entries[position].maxRelativeError = max(entries[position].maxRelativeError ?? 0, worst) }
                }
            }
        }
    }

    public func entry(_ label: String) -> Entry? { positions[label].map { entries[$0] } }

    public var verifiedCount: Int { entries.filter { $0.status == .verified }.count }
    public var failedCount: Int { entries.filter { $0.status == .failed }.count }
    public var unverifiedCount: Int { entries.filter { $0.status == .unverified }.count }
}
