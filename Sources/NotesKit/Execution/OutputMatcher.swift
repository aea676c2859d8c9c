import Foundation

/// Compares a cell's output with its ```` ```output ```` block: text exactly (trailing
/// whitespace aside), numbers within a tolerance.
///
/// Two numbers match when `|a − b| ≤ atol + rtol · max(|a|, |b|)` (the default rtol is 1e-9),
/// so `0.731058578630` matches `0.7310585786300049`.
enum OutputMatcher {
    /// The first difference found, described for the author.
    struct Mismatch: Equatable, Sendable {
        /// Line within the output (1-based).
        var line: Int
        var message: String
    }

    private enum Token: Equatable {
        case text(String)
        case number(Double, String)
    }

    /// Nil when `actual` matches `expected` under `options`.
    static func compare(expected: String, actual: String, options: OutputOptions) -> Mismatch? {
        let want = tokens(normalize(expected)), got = tokens(normalize(actual))
        var line = 1
        for index in 0..<max(want.count, got.count) {
            guard index < want.count else {
                return Mismatch(line: line, message: "the output goes on after the expected text ends: \(quote(got[index]))")
            }
            guard index < got.count else {
                return Mismatch(line: line, message: "the output ends early: expected \(quote(want[index])) next")
            }
            switch (want[index], got[index]) {
            case let (.number(a, textA), .number(b, textB)):
                if !close(a, b, options) {
                    let difference = abs(a - b) / max(abs(a), abs(b))
                    return Mismatch(line: line, message: "expected \(textA), got \(textB) (relative difference "
                                    + "\(format(difference)); allowed rtol=\(format(options.relativeTolerance)), atol=\(format(options.absoluteTolerance)))")
                }
            case let (.text(a), .text(b)) where a == b:
                line += a.filter { $0 == "\n" }.count
            default:
                return Mismatch(line: line, message: "expected \(quote(want[index])), got \(quote(got[index]))")
            }
        }
        return nil
    }

    private static func close(_ a: Double, _ b: Double, _ options: OutputOptions) -> Bool {
        if a == b || (a.isNaN && b.isNaN) { return true }
        return abs(a - b) <= options.absoluteTolerance + options.relativeTolerance * max(abs(a), abs(b))
    }

    /// Lines without trailing whitespace, and no trailing empty lines.
    static func normalize(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line -> Substring in
                var line = line
                while let last = line.last, last == " " || last == "\t" { line.removeLast() }
                return line
            }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var plain = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if let (value, length) = number(scalars, at: index) {
                if !plain.isEmpty { tokens.append(.text(plain)); plain = "" }
                var literal = ""
                literal.unicodeScalars.append(contentsOf: scalars[index..<index + length])
                tokens.append(.number(value, literal))
                index += length
            } else {
                plain.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        if !plain.isEmpty { tokens.append(.text(plain)) }
        return tokens
    }

    /// A decimal number starting at `index` (sign, digits, fraction, exponent), or `nan`/`inf`.
    private static func number(_ s: [Unicode.Scalar], at start: Int) -> (Double, Int)? {
        func digit(_ i: Int) -> Bool { i < s.count && ("0"..."9").contains(s[i]) }
        if start > 0, s[start - 1].properties.isAlphabetic || s[start - 1] == "_" { return nil }
        var i = start
        if i < s.count, s[i] == "-" || s[i] == "+" { i += 1 }
        for word in ["nan", "inf"] {
            let letters = Array(word.unicodeScalars)
            if i + letters.count <= s.count, Array(s[i..<i + letters.count]) == letters,
               !(i + letters.count < s.count && s[i + letters.count].properties.isAlphabetic) {
                let value = word == "nan" ? Double.nan : (s[start] == "-" ? -Double.infinity : Double.infinity)
                return (value, i + letters.count - start)
            }
        }
        let integerStart = i
        while digit(i) { i += 1 }
        var sawDigits = i > integerStart
        if i < s.count, s[i] == ".", digit(i + 1) || sawDigits {
            i += 1
            while digit(i) { i += 1; sawDigits = true }
        }
        guard sawDigits else { return nil }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            var j = i + 1
            if j < s.count, s[j] == "-" || s[j] == "+" { j += 1 }
            if digit(j) {
                while digit(j) { j += 1 }
                i = j
            }
        }
        var literal = ""
        literal.unicodeScalars.append(contentsOf: s[start..<i])
        guard let value = Double(literal) else { return nil }
        return (value, i - start)
    }

    private static func quote(_ token: Token) -> String {
        switch token {
        case .number(_, let text): return text
        case .text(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "“" + shown.replacingOccurrences(of: "\n", with: "⏎") + "”"
        }
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.3g", value)
    }
}
