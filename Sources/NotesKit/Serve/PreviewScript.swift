import Foundation

/// The script the preview server adds to every page it sends (`Resources/Serve/reload.js`).
enum PreviewScript {
    static let source: Data = {
        guard let url = Bundle.module.url(forResource: "reload", withExtension: "js", subdirectory: "Resources/Serve"),
              let data = try? Data(contentsOf: url) else {
            return Data("console.error('notes serve: the reload script is missing from the installation');".utf8)
        }
        return data
    }()
}
