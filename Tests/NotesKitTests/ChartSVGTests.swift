import Foundation
import NotebookSupport
import Testing
@testable import NotesKit

/// Charts and image grids drawn at build time: powers of ten on logarithmic axes, a legend that
/// keeps off the data, and images whose ink is numbers only.
@Suite("Charts and images (SVG at build time)") struct ChartSVGTests {
    @Test("Logarithmic ticks are powers of ten with a raised exponent and a true minus sign")
    func logarithmicTicksArePowersOfTen() {
        let chart = Chart(title: "t", x: "h", y: "error")
            .line("error", x: [1e-6, 1e-3, 1], y: [1e-12, 1e-6, 1]).logScaleX().logScaleY()
        let svg = ChartSVG.render(chart)
        #expect(svg.contains(">10<tspan class=\"chart-exponent\" dy=\"-0.5em\">\u{2212}6</tspan></text>"))
        #expect(svg.contains(">10<tspan class=\"chart-exponent\" dy=\"-0.5em\">\u{2212}12</tspan></text>"))
        #expect(svg.contains(">1</text>"))
        #expect(!svg.contains("10^"))
    }

    @Test("The legend goes to the corner of the plot that hides the fewest points")
    func legendAvoidsTheData() {
        // Every point is in the top right of the plot: the legend's first choice.
        let crowded = (0..<40).map { 0.6 + Double($0) / 100 }
        let chart = Chart(x: "x", y: "y").scatter("top right", x: [0] + crowded, y: [0] + crowded)
        let svg = ChartSVG.render(chart)
        let box = try? #require(svg.firstMatch(of: /chart-legend-box" x="([0-9.]+)" y="([0-9.]+)"/))
        // Top left: the left edge of the plot, and its top.
        #expect(box.map { Double($0.1) } == ChartSVG.left + 6)
        #expect(box.map { Double($0.2) } == ChartSVG.top + 6)
        // With the top right free, the legend stays there.
        let empty = ChartSVG.render(Chart(x: "x", y: "y").scatter("bottom left", x: [0, 0.1, 1], y: [0, 0.1, 0]))
        let corner = try? #require(empty.firstMatch(of: /chart-legend-box" x="([0-9.]+)" y="([0-9.]+)"/))
        #expect(corner.map { Double($0.2) } == ChartSVG.top + 6)
        #expect(corner.map { Double($0.1)! > ChartSVG.width / 2 } == true)
    }

    @Test("Images: ink scaled to the darkest pixel or to a given maximum, captions escaped, blank pixels left out")
    func imageGridsDrawInkOnly() throws {
        let grid = ImageGrid(title: "<script>alert(1)</script>")
            .image([0, 2, 4, 8], width: 2, height: 2, caption: "3 & <b>8</b>")
            .image([0, 1, 5, 0], width: 2, height: 2, maximum: 2)
        #expect(grid.images[0].pixels == [0, 0.25, 0.5, 1])
        #expect(grid.images[1].pixels == [0, 0.5, 1, 0]) // 5 of 2 is full ink
        let html = ImageGridSVG.render(grid)
        #expect(!html.contains("<script") && !html.contains("<b>"))
        #expect(html.contains("<figcaption>3 &amp; &lt;b&gt;8&lt;/b&gt;</figcaption>"))
        #expect(html.contains("<figcaption>&lt;script&gt;alert(1)&lt;/script&gt;</figcaption>"))
        // Three inked pixels in the first image, two in the second; none for the zeros.
        #expect(html.components(separatedBy: "width=\"1\" height=\"1\"").count - 1 == 5)
        #expect(html.contains("<rect x=\"1\" y=\"0\" width=\"1\" height=\"1\" fill-opacity=\"0.250\"/>"))
        // A damaged grid (from a cache, say) is drawn blank rather than wrong.
        let damaged = #"{"title":"","images":[{"width":3,"height":3,"pixels":[1],"caption":""}]}"#
        let blank = try ImageGridSVG.render(JSONDecoder().decode(ImageGrid.self, from: Data(damaged.utf8)))
        #expect(!blank.contains("fill-opacity"))
    }
}
