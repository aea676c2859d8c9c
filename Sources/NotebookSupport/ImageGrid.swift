import Foundation

/// Small grayscale images, such as misclassified digits, that a note's page shows side by side,
/// each drawn as an SVG at build time with its caption.
///
/// ```swift
/// ImageGrid(title: "Misclassified test digits")
///     .image(pixels, width: 8, height: 8, caption: "7, read as 1")
///     .show()
/// ```
public struct ImageGrid: Codable, Sendable, Equatable {
    /// One image: ink from 0 (none) to 1 (full), row by row from the top left.
    public struct Image: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var pixels: [Double]
        public var caption: String
    }

    public var title: String
    public var images: [Image] = []

    public init(title: String = "") {
        self.title = title
    }

    /// The grid with one more image. `pixels` holds `width × height` values, row by row; values
    /// are scaled so that the darkest pixel of the image is full ink, unless `maximum` says
    /// what full ink is.
    public func image(_ pixels: [Double], width: Int, height: Int, caption: String = "", maximum: Double? = nil) -> ImageGrid {
        guard width > 0, height > 0, pixels.count == width * height else {
            fatalError("ImageGrid image '\(caption)' has \(pixels.count) pixels for \(width) × \(height)")
        }
        if let index = pixels.firstIndex(where: { !$0.isFinite }) {
            fatalError("ImageGrid image '\(caption)' has \(pixels[index]) at pixel \(index): an image needs finite numbers")
        }
        let top = maximum ?? pixels.max() ?? 0
        let ink = top > 0 ? pixels.map { min(max($0 / top, 0), 1) } : pixels.map { _ in 0 }
        var grid = self
        grid.images.append(Image(width: width, height: height, pixels: ink, caption: caption))
        return grid
    }

    /// Sends the images to the page, below the cell's text output.
    public func show() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        NotebookRuntime.emit(.images, json)
    }
}
