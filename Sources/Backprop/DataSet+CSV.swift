#if !hasFeature(Embedded)
import Foundation

/// Reading labelled samples from CSV, and the handwritten digits.
///
/// Native builds only: it needs Foundation.
extension DataSet {
    /// Samples from CSV text whose lines hold the input components and, last, an integer class label.
    ///
    /// An optional first line of column names is skipped. The target y is the one-hot vector of
    /// the label. Every line must have the same number of fields, every input must be a finite
    /// number and every label an integer in 0..<`classes`; otherwise this throws
    /// `BackpropError.malformedCSV` with the line number (counting from 1), or
    /// `.nonFinite` for NaN and ∞.
    ///
    /// - Parameter inputCount: the number of inputs per sample, if it is known in advance.
    public static func labelledCSV(_ text: String, classes: Int, inputCount: Int? = nil) throws(BackpropError) -> DataSet {
        guard classes >= 1 else {
            throw .invalidHyperparameter(name: "classes", value: Double(classes), requirement: "at least 1")
        }
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        while let last = lines.last, last.allSatisfy({ $0 == " " }) { lines.removeLast() }
        var inputs: [Double] = [], targets: [Double] = []
        var width = inputCount.map { $0 + 1 }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0 && fields.contains(where: { Double($0) == nil }) {
                if let width, fields.count != width {
                    throw .malformedCSV(line: number, reason: "the header has \(fields.count) columns, expected \(width)")
                }
                width = width ?? fields.count
                continue
            }
            guard !line.isEmpty else { throw .malformedCSV(line: number, reason: "empty line") }
            let expected = width ?? fields.count
            width = expected
            guard fields.count == expected else {
                throw .malformedCSV(line: number, reason: "\(fields.count) fields, expected \(expected) (\(expected - 1) inputs and a label)")
            }
            guard expected >= 2 else {
                throw .malformedCSV(line: number, reason: "a sample needs at least one input and a label")
            }
            for (column, field) in fields.dropLast().enumerated() {
                guard let value = Double(field) else {
                    throw .malformedCSV(line: number, reason: "field \(column + 1), \"\(field)\", is not a number")
                }
                guard value.isFinite else {
                    throw .nonFinite(location: "line \(number), field \(column + 1) (\"\(field)\")")
                }
                inputs.append(value)
            }
            let labelField = fields[fields.count - 1]
            guard let label = Int(labelField), label >= 0, label < classes else {
                throw .malformedCSV(line: number, reason: "the label \"\(labelField)\" is not an integer in 0..<\(classes)")
            }
            targets += DataSet.oneHot(label, classes: classes).elements
        }
        guard !targets.isEmpty, let width else { throw .emptyDataSet("the CSV text has no samples") }
        let count = targets.count / classes
        return try DataSet(inputs: Matrix(rows: count, columns: width - 1, elements: inputs),
                           targets: Matrix(rows: count, columns: classes, elements: targets))
    }

    /// Reads a labelled CSV file (see `labelledCSV(_:classes:inputCount:)`).
    public static func labelledCSV(contentsOf path: String, classes: Int, inputCount: Int? = nil) throws(BackpropError) -> DataSet {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .fileAccess(path: path, reason: error.localizedDescription)
        }
        return try labelledCSV(text, classes: classes, inputCount: inputCount)
    }

    /// The handwritten digits: 1,797 images of 8 × 8 pixels scaled to [0, 1] (scikit-learn's
    /// `load_digits`), 64 inputs and 10 one-hot targets, in the order of the file
    /// (the notes' copy is `notes/data/digits.csv`).
    public static func digits(contentsOf path: String) throws(BackpropError) -> DataSet {
        try labelledCSV(contentsOf: path, classes: 10, inputCount: 64)
    }
}
#endif
