import Testing
@testable import NotesKit

@Suite struct MarkdownParserTests {
    @Test func smoke() throws {
        let doc = try MarkdownParser.parse("# Hi\n\nA $a_1 * b_2$ and $5 and $6.\n\n$$\nx \\\\ y\n$$ {#eq-x}\n")
        print(doc)
    }
}
