import Foundation

extension KaTeXRenderer {
    /// The files a page needs to show typeset math: KaTeX's style sheet and fonts, as site paths.
    static func assets() throws -> [(path: String, source: URL)] {
        let root = assetsDirectory
        var copies: [(path: String, source: URL)] = [("assets/katex/katex.min.css", root.appendingPathComponent("katex.min.css"))]
        let fonts = root.appendingPathComponent("fonts").resolvingSymlinksInPath()
        for name in try FileManager.default.contentsOfDirectory(atPath: fonts.path).sorted()
        where name.hasSuffix(".woff2") || name.hasSuffix(".woff") || name.hasSuffix(".ttf") {
            copies.append(("assets/katex/fonts/" + name, fonts.appendingPathComponent(name)))
        }
        return copies
    }
}
