import Backprop
import Foundation

/// What one expectation compared, sent to the notes tool so the page can show the evidence.
public struct ExpectationRecord: Codable, Sendable, Equatable {
    /// `expect`, `expectClose` or `expectGradientsMatch`.
    public var kind: String
    public var passed: Bool
    public var message: String
    /// The file the expectation stands in, as the compiler named it (a cell's placeholder file,
    /// which the tool maps to the note).
    public var file: String
    /// The line within that file.
    public var line: Int
    public var maxAbsoluteError: Double?
    public var maxRelativeError: Double?
    /// Where the largest error occurred, e.g. `[2][1]` or `w^3[1][0]`.
    public var worstIndex: String?
    /// How many numbers were compared.
    public var comparisons: Int
}

/// Records an expectation and returns whether it held.
@discardableResult
func record(_ record: ExpectationRecord) -> Bool {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    NotebookRuntime.emit(.expectation, json)
    return record.passed
}

/// Expects `condition` to hold; a failure names this line of the note.
@discardableResult
public func expect(_ condition: Bool, _ message: @autoclosure () -> String = "", file: String = #filePath, line: Int = #line) -> Bool {
    record(ExpectationRecord(kind: "expect", passed: condition, message: condition ? "" : (message().isEmpty ? "condition is false" : message()),
                             file: file, line: line, comparisons: 1))
}

/// Compares numbers element by element: `|a − e| ≤ atol + rtol · max(|a|, |e|)`.
struct Closeness {
    var rtol: Double
    var atol: Double
    var maxAbsolute = 0.0
    var maxRelative = 0.0
    var worst: String?
    var worstValues: (Double, Double)?
    var failed: String?
    var failedValues: (Double, Double)?
    var count = 0

    init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    mutating func compare(_ actual: Double, _ expected: Double, at index: String) {
        count += 1
        let difference = actual == expected ? 0 : abs(actual - expected)
        let scale = max(abs(actual), abs(expected))
        let relative = scale == 0 ? 0 : difference / scale
        let ok = (actual.isNaN && expected.isNaN) || difference <= atol + rtol * scale
        if difference > maxAbsolute || difference.isNaN { maxAbsolute = difference }
        if relative > maxRelative || relative.isNaN {
            maxRelative = relative
            worst = index
            worstValues = (actual, expected)
        }
        if !ok && failed == nil {
            failed = index
            failedValues = (actual, expected)
        }
    }

    func record(kind: String, message: String, file: String, line: Int) -> ExpectationRecord {
        var text = ""
        if let failed, let (a, e) = failedValues {
            text = "\(message.isEmpty ? "" : message + ": ")not close at \(failed.isEmpty ? "the value" : failed): got \(Canonical.format(a)), "
                + "expected \(Canonical.format(e)) (relative error \(short(maxRelative)), allowed rtol=\(short(rtol)), atol=\(short(atol)))"
        }
        return ExpectationRecord(kind: kind, passed: failed == nil, message: text, file: file, line: line,
                                 maxAbsoluteError: maxAbsolute, maxRelativeError: maxRelative, worstIndex: worst, comparisons: count)
    }

    private func short(_ value: Double) -> String { String(format: "%.3g", value) }
}

/// Expects `actual` to be close to `expected`.
@discardableResult
public func expectClose(_ actual: Double, _ expected: Double, rtol: Double = 1e-9, atol: Double = 0,
                        _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    var closeness = Closeness(rtol: rtol, atol: atol)
    closeness.compare(actual, expected, at: "")
    return record(closeness.record(kind: "expectClose", message: message, file: file, line: line))
}

/// Expects two vectors to have the same length and close elements.
@discardableResult
public func expectClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-9, atol: Double = 0,
                        _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    guard actual.count == expected.count else {
        return record(ExpectationRecord(kind: "expectClose", passed: false,
                                        message: "\(message.isEmpty ? "" : message + ": ")length \(actual.count) instead of \(expected.count)",
                                        file: file, line: line, comparisons: 0))
    }
    var closeness = Closeness(rtol: rtol, atol: atol)
    for index in actual.indices { closeness.compare(actual[index], expected[index], at: "[\(index)]") }
    return record(closeness.record(kind: "expectClose", message: message, file: file, line: line))
}

/// Expects two matrices (arrays of rows) to have the same shape and close elements.
@discardableResult
public func expectClose(_ actual: [[Double]], _ expected: [[Double]], rtol: Double = 1e-9, atol: Double = 0,
                        _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    guard actual.count == expected.count, zip(actual, expected).allSatisfy({ $0.count == $1.count }) else {
        let shape = { (m: [[Double]]) in "\(m.count) × \(m.first?.count ?? 0)" }
        return record(ExpectationRecord(kind: "expectClose", passed: false,
                                        message: "\(message.isEmpty ? "" : message + ": ")shape \(shape(actual)) instead of \(shape(expected))",
                                        file: file, line: line, comparisons: 0))
    }
    var closeness = Closeness(rtol: rtol, atol: atol)
    for j in actual.indices {
        for k in actual[j].indices { closeness.compare(actual[j][k], expected[j][k], at: "[\(j)][\(k)]") }
    }
    return record(closeness.record(kind: "expectClose", message: message, file: file, line: line))
}

/// Expects two engine vectors to be close.
@discardableResult
public func expectClose(_ actual: Vector, _ expected: Vector, rtol: Double = 1e-9, atol: Double = 0,
                        _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    expectClose(actual.elements, expected.elements, rtol: rtol, atol: atol, message, file: file, line: line)
}

/// Expects two engine matrices to be close.
@discardableResult
public func expectClose(_ actual: Matrix, _ expected: Matrix, rtol: Double = 1e-9, atol: Double = 0,
                        _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    expectClose(actual.rowArrays, expected.rowArrays, rtol: rtol, atol: atol, message, file: file, line: line)
}

/// Expects a network's backprop gradients on `data` to match central finite differences.
@discardableResult
public func expectGradientsMatch(_ network: Network, on data: DataSet, cost: Cost = .quadratic, rtol: Double = 1e-6,
                                 step: Double = 1e-5, _ message: String = "", file: String = #filePath, line: Int = #line) -> Bool {
    do {
        let result = try GradientCheck(step: step).run(network, on: data, cost: cost)
        let passed = result.maxRelativeError <= rtol
        var text = ""
        if !passed {
            text = "\(message.isEmpty ? "" : message + ": ")backprop and finite differences differ: relative error "
                + "\(String(format: "%.3g", result.maxRelativeError)) > \(String(format: "%.3g", rtol))"
                + (result.worst.map { " at \($0)" } ?? "")
        }
        return record(ExpectationRecord(kind: "expectGradientsMatch", passed: passed, message: text, file: file, line: line,
                                        maxAbsoluteError: result.maxAbsoluteError, maxRelativeError: result.maxRelativeError,
                                        worstIndex: result.worst.map { "\($0)" }, comparisons: result.parametersChecked))
    } catch {
        return record(ExpectationRecord(kind: "expectGradientsMatch", passed: false, message: "gradient check failed: \(error)",
                                        file: file, line: line, comparisons: 0))
    }
}
