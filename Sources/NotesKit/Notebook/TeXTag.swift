/// Reads the argument of a `\tag{…}` (or `\tag*{…}`) in an equation's TeX.
enum TeXTag {
    /// The tag's text, with balanced braces inside it kept, or nil when there is none.
    static func find(in tex: String) -> String? {
        guard TextScan.contains(tex, "\\tag") else { return nil }
        for marker in ["\\tag*{", "\\tag{"] {
            guard let start = tex.range(of: marker) else { continue }
            var depth = 1
            var index = start.upperBound
            while index < tex.endIndex {
                switch tex[index] {
                case "{": depth += 1
                case "}":
                    depth -= 1
                    if depth == 0 { return String(tex[start.upperBound..<index]) }
                default: break
                }
                index = tex.index(after: index)
            }
        }
        return nil
    }
}
