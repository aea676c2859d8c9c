import Foundation
import NotebookSupport
import Testing
@testable import NotesKit

/// Charts drawn at build time: powers of ten on logarithmic axes, and a legend that keeps off the data.
@Suite("Charts (SVG at build time)") struct ChartSVGTests {
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
}
