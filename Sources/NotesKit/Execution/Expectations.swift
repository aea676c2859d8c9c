import Foundation
import NotebookSupport

extension NotebookResult.CellResult {
    /// The expectations the cell recorded, in order.
    public var expectations: [ExpectationRecord] {
        rich.compactMap { rich in
            guard case .expectation(let json) = rich else { return nil }
            return try? JSONDecoder().decode(ExpectationRecord.self, from: Data(json.utf8))
        }
    }
}

extension ExpectationRecord {
    /// The Markdown line of the expectation (its location is `file:line` once mapped).
    func line(in file: String) -> Int? {
        guard location.hasPrefix(file + ":") else { return nil }
        return Int(location.dropFirst(file.count + 1).prefix { $0.isNumber })
    }
}
