/// The grammar of a Swift cell's fence info string: `swift hide timeout=5 id=train test=eq-bp1`.
///
/// Words after `swift` are flags (`hide`, `no-run`, `live`) or `key=value` attributes (`output=hide`,
/// `expect=compile-error|crash`, `timeout=SECONDS`, `id=NAME`, `test=eq-a,eq-b`), separated by
/// spaces. Anything else is an error at the fence's line, so a typo never silently changes a cell.
struct CellOptions: Sendable, Equatable {
    /// How a cell is meant to end.
    enum Expectation: String, Sendable, Equatable {
        case success
        case compileError = "compile-error"
        case crash
    }

    /// Show the code on the page (`hide` turns it off; the cell still runs).
    var showCode = true
    /// Run the cell (`no-run` shows it without running).
    var run = true
    /// Show what the cell printed (`output=hide` turns it off).
    var showOutput = true
    var expectation: Expectation = .success
    /// Seconds the cell may run (`timeout=`), within the note's own limit.
    var timeout: Double?
    var id: String?
    /// Equation labels this cell is a test of (`test=eq-bp1,eq-bp2`).
    var tests: [String] = []
    /// A live cell (`live`): Embedded Swift that runs in the reader's browser as a widget.
    var live = false

    init() {}

    /// Reads a fence info string; nil when the block is not a Swift cell (another language).
    static func parse(info: String) throws(CellOptionsError) -> CellOptions? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let language = words.first, language == "swift" else { return nil }
        var options = CellOptions()
        for word in words.dropFirst() {
            if let equals = word.firstIndex(of: "=") {
                try options.set(String(word[..<equals]), String(word[word.index(after: equals)...]))
            } else {
                switch word {
                case "hide": options.showCode = false
                case "no-run": options.run = false
                case "live": options.live = true
                default:
                    throw CellOptionsError("unknown cell flag '\(word)' (flags: hide, no-run, live; attributes: output=hide, "
                                           + "expect=compile-error|crash, timeout=SECONDS, id=NAME, test=eq-…)")
                }
            }
        }
        if options.live {
            let unsupported = [(!options.run, "no-run"), (!options.showOutput, "output="), (options.expectation != .success, "expect="),
                               (options.timeout != nil, "timeout="), (!options.tests.isEmpty, "test=")].filter(\.0).map(\.1)
            if let first = unsupported.first {
                throw CellOptionsError("a live cell takes only hide and id=, not \(first): it runs in the reader's browser, and the build checks it against its native run")
            }
        }
        if !options.tests.isEmpty && !options.run {
            throw CellOptionsError("a test block must run to verify anything: remove no-run (or test=)")
        }
        if !options.tests.isEmpty && options.expectation != .success {
            throw CellOptionsError("a test block verifies by running to its end: expect=\(options.expectation.rawValue) cannot be combined with test=")
        }
        return options
    }

    private mutating func set(_ key: String, _ value: String) throws(CellOptionsError) {
        switch key {
        case "output":
            guard value == "hide" || value == "show" else { throw CellOptionsError("output= takes 'hide' or 'show', not '\(value)'") }
            showOutput = value == "show"
        case "expect":
            guard let parsed = Expectation(rawValue: value), parsed != .success else {
                throw CellOptionsError("expect= takes 'compile-error' or 'crash', not '\(value)'")
            }
            expectation = parsed
        case "timeout":
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw CellOptionsError("timeout= takes a positive number of seconds, not '\(value)'")
            }
            timeout = seconds
        case "id":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw CellOptionsError("id= takes letters, digits, '-' and '_', not '\(value)'")
            }
            id = value
        case "test":
            let labels = value.split(separator: ",").map(String.init)
            guard !labels.isEmpty, labels.allSatisfy({ $0.hasPrefix("eq-") }) else {
                throw CellOptionsError("test= takes equation labels separated by commas, such as test=eq-bp1,eq-bp2")
            }
            tests = labels
        default:
            throw CellOptionsError("unknown cell attribute '\(key)=' (attributes: output=, expect=, timeout=, id=, test=)")
        }
    }
}

/// A malformed cell info string.
struct CellOptionsError: Error, Sendable, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The info string of an ```` ```output ```` block: the tolerances for comparing numbers.
struct OutputOptions: Sendable, Equatable {
    var relativeTolerance = 1e-9
    var absoluteTolerance = 0.0

    init() {}

    /// Reads `output rtol=1e-6 atol=1e-12`; nil when the block is not an output block.
    static func parse(info: String) throws(CellOptionsError) -> OutputOptions? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.first == "output" else { return nil }
        var options = OutputOptions()
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value >= 0, value.isFinite else {
                throw CellOptionsError("output blocks take rtol=NUMBER and atol=NUMBER, not '\(word)'")
            }
            switch parts[0] {
            case "rtol": options.relativeTolerance = value
            case "atol": options.absoluteTolerance = value
            default: throw CellOptionsError("output blocks take rtol= and atol=, not '\(parts[0])='")
            }
        }
        return options
    }
}
