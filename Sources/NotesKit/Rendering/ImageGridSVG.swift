import Foundation
import NotebookSupport

/// Draws an `ImageGrid` from a cell: each image an inline SVG of one square per pixel, its ink
/// as the square's opacity, with its caption below, and the grid's title under all of them.
///
/// The ink colour and the paper come from CSS (`image-ink`, `image-paper`), so that dark mode
/// restyles them; opacities are written with three decimals so that pages are byte-identical
/// across machines. Nothing from the cell reaches the page unescaped: captions and the title
/// are text, and everything else is numbers.
enum ImageGridSVG {
    /// The HTML figure for `grid`.
    static func render(_ grid: ImageGrid) -> String {
        guard !grid.images.isEmpty else { return "<p class=\"chart-empty\">The image grid has no images.</p>\n" }
        var html = "<figure class=\"cell-images\">\n<div class=\"image-grid\">\n"
        for image in grid.images {
            html += "<figure class=\"image\">" + svg(image)
            if !image.caption.isEmpty { html += "<figcaption>\(HTML.escape(image.caption))</figcaption>" }
            html += "</figure>\n"
        }
        html += "</div>\n"
        if !grid.title.isEmpty { html += "<figcaption>\(HTML.escape(grid.title))</figcaption>\n" }
        return html + "</figure>\n"
    }

    /// One image; a malformed one (from a damaged cache entry) is drawn blank.
    private static func svg(_ image: ImageGrid.Image) -> String {
        let (width, height) = (max(image.width, 1), max(image.height, 1))
        let label = image.caption.isEmpty ? "" : " aria-label=\"\(HTML.escape(image.caption))\""
        var svg = "<svg class=\"image-pixels\" viewBox=\"0 0 \(width) \(height)\" role=\"img\"\(label) "
            + "shape-rendering=\"crispEdges\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<rect class=\"image-paper\" width=\"\(width)\" height=\"\(height)\"/><g class=\"image-ink\">"
        if image.pixels.count == width * height {
            for (index, ink) in image.pixels.enumerated() where ink.isFinite && ink > 0.0005 {
                let opacity = String(format: "%.3f", min(ink, 1))
                svg += "<rect x=\"\(index % width)\" y=\"\(index / width)\" width=\"1\" height=\"1\" fill-opacity=\"\(opacity)\"/>"
            }
        }
        return svg + "</g></svg>"
    }
}
