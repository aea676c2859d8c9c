/// GFM's tagfilter extension: neutralises tags that raw HTML in Markdown may not open.
///
/// The `<` of `<title>`, `<textarea>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`,
/// `<script>` and `<plaintext>` (and their closing tags) becomes `&lt;`, as cmark-gfm renders it.
enum TagFilter {
    private static let blocked = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]

    static func apply(_ html: String) -> String {
        guard html.contains("<") else { return html }
        var out = ""
        let bytes = Array(html.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), isBlocked(bytes, at: index) {
                result.append(contentsOf: "&lt;".utf8)
            } else {
                result.append(bytes[index])
            }
            index += 1
        }
        out = String(decoding: result, as: UTF8.self)
        return out
    }

    private static func isBlocked(_ bytes: [UInt8], at start: Int) -> Bool {
        var index = start + 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") { index += 1 }
        for name in blocked {
            let nameBytes = Array(name.utf8)
            guard index + nameBytes.count <= bytes.count else { continue }
            var matches = true
            for (offset, byte) in nameBytes.enumerated() where bytes[index + offset] | 0x20 != byte {
                matches = false
                break
            }
            guard matches else { continue }
            let after = index + nameBytes.count
            if after == bytes.count { return true }
            switch bytes[after] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), 0x0C, UInt8(ascii: "\r"),
                 UInt8(ascii: "/"), UInt8(ascii: ">"):
                return true
            default:
                continue
            }
        }
        return false
    }
}
