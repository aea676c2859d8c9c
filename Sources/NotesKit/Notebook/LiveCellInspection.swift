import SwiftParser
import SwiftSyntax

/// What the extractor needs to know about a live cell's code: the widget it declares, and
/// anything that cannot work in the browser's build.
enum LiveCellInspection {
    /// The protocol a widget conforms to.
    static let widgetProtocol = "LiveWidget"

    /// A problem at a line of the cell (counted from the cell's first line of code, from 1).
    struct Problem: Error, Sendable, Equatable {
        var line: Int
        var message: String
    }

    /// The name of the type in `code` that conforms to `LiveWidget`, or nil when there is none.
    static func inspect(_ code: String) throws(Problem) -> String? {
        let file = Parser.parse(source: code)
        let converter = SourceLocationConverter(fileName: "cell", tree: file)
        func line(_ node: some SyntaxProtocol) -> Int { converter.location(for: node.positionAfterSkippingLeadingTrivia).line }
        var widgets: [(name: String, line: Int)] = []
        for statement in file.statements {
            let item = statement.item
            if let importDecl = item.as(ImportDeclSyntax.self) {
                throw Problem(line: line(importDecl), message: "a live cell imports nothing: the engine and the live-widget API are already there (remove 'import')")
            }
            let declared: (name: TokenSyntax, inheritance: InheritanceClauseSyntax?)? =
                if let decl = item.as(StructDeclSyntax.self) { (decl.name, decl.inheritanceClause) }
                else if let decl = item.as(ClassDeclSyntax.self) { (decl.name, decl.inheritanceClause) }
                else if let decl = item.as(EnumDeclSyntax.self) { (decl.name, decl.inheritanceClause) }
                else { nil }
            guard let declared, let inheritance = declared.inheritance else { continue }
            let conforms = inheritance.inheritedTypes.contains {
                $0.type.trimmedDescription == widgetProtocol || $0.type.trimmedDescription == "LiveSupport." + widgetProtocol
            }
            if conforms { widgets.append((declared.name.text, line(declared.name))) }
        }
        if widgets.count > 1 {
            throw Problem(line: widgets[1].line, message: "a live cell declares at most one widget; '\(widgets[0].name)' is this cell's, so put '\(widgets[1].name)' in a live cell of its own")
        }
        return widgets.first?.name
    }
}
