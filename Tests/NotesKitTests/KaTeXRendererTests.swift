import Foundation
import Testing
@testable import NotesKit

/// KaTeXRenderer against Debian's node and katex; these fail, not skip, when either is missing.
@Suite("KaTeXRenderer")
struct KaTeXRendererTests {
    // MARK: - Typesetting

    @Test("inline math is a katex span with MathML")
    func inline() throws {
        let html = try renderOne(#"a^l = \sigma(w^l a^{l-1} + b^l)"#)
        #expect(html.hasPrefix(#"<span class="katex">"#))
        #expect(html.contains("<math"))
        #expect(!html.contains("katex-display"))
    }

    @Test("display math is a katex-display block with MathML")
    func display() throws {
        let html = try renderOne(#"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j"#, display: true)
        #expect(html.hasPrefix(#"<span class="katex-display">"#))
        #expect(html.contains(#"<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">"#))
    }

    @Test("TeX with < * _ \\{ and \\\\ renders, escaped for HTML")
    func specialCharacters() throws {
        let less = try renderOne("a<b")
        #expect(less.contains(#"<annotation encoding="application/x-tex">a&lt;b</annotation>"#))
        #expect(!less.contains("a<b"))
        let braces = try renderOne(#"\{x_1 * y_2\}"#)
        #expect(braces.contains(#"<mo stretchy="false">{</mo><msub><mi>x</mi><mn>1</mn></msub><mo>∗</mo>"#))
        let aligned = try renderOne(#"\begin{aligned} a &= b \\ c &= d \end{aligned}"#, display: true)
        #expect(aligned.contains("<mtable"))
    }

    @Test("quotes, backslashes and control characters survive the trip")
    func jsonEscaping() throws {
        let html = try renderOne("\\text{\"quoted\"}\t+\n\\backslash")
        #expect(html.contains("<mtext>&quot;quoted&quot;</mtext>"))
        #expect(html.contains("<annotation encoding=\"application/x-tex\">\\text{&quot;quoted&quot;}\t+\n\\backslash</annotation>"))
    }

    @Test("\\tag shows its label in display mode")
    func tag() throws {
        let html = try renderOne(#"\delta^L = \nabla_a C \odot \sigma'(z^L) \tag{BP1}"#, display: true)
        #expect(html.contains(#"class="tag""#))
        #expect(html.contains(#"<span class="mord">BP1</span>"#))
    }

    @Test("accented text in and out of \\text is accepted, not rejected by strict mode")
    func unicode() throws {
        #expect(try renderOne(#"\text{café – naïve}"#).contains("café"))
        #expect(try renderOne("é + x").contains("é"))
    }

    @Test("a TeX error is an outcome with KaTeX's message, and the batch goes on")
    func errorOutcome() throws {
        let outcomes = try Self.shared.render([
            MathRequest(tex: #"\foo"#, display: false),
            MathRequest(tex: "x^2", display: false),
        ])
        #expect(outcomes.count == 2)
        guard case .failed(let message) = outcomes[0] else {
            Issue.record("expected a failure, got \(outcomes[0])")
            return
        }
        #expect(message.hasPrefix(#"KaTeX parse error: Undefined control sequence: \foo at position 1: "#))
        guard case .rendered(let html) = outcomes[1] else {
            Issue.record("expected the next request to render, got \(outcomes[1])")
            return
        }
        #expect(html.contains("<math"))
    }

    @Test("output is deterministic across renderers")
    func deterministic() throws {
        let request = [MathRequest(tex: #"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)"#, display: true)]
        let other = try KaTeXRenderer()
        defer { other.close() }
        #expect(try other.render(request) == Self.shared.render(request))
    }

    // MARK: - Batches

    @Test("an empty batch returns no outcomes")
    func empty() throws {
        #expect(try Self.shared.render([]) == [])
    }

    @Test("a batch of 1,000 keeps its order, duplicates included")
    func order() throws {
        let requests = (0..<1_000).map { MathRequest(tex: "x_{\($0 % 700)}", display: $0 % 3 == 0) }
        let outcomes = try Self.shared.render(requests)
        #expect(outcomes.count == requests.count)
        for (request, outcome) in zip(requests, outcomes) {
            guard case .rendered(let html) = outcome,
                  html.contains(#"<annotation encoding="application/x-tex">\#(request.tex)</annotation>"#),
                  html.contains("katex-display") == request.display
            else {
                Issue.record("\(request) got \(outcome)")
                return
            }
        }
    }

    @Test("a batch of 50,000 does not deadlock on the pipes")
    func large() throws {
        let requests = (0..<50_000).map { MathRequest(tex: "y_{\($0)}", display: $0 % 2 == 0) }
        let renderer = try KaTeXRenderer()
        defer { renderer.close() }
        let outcomes = try renderer.render(requests)
        #expect(outcomes.count == 50_000)
        #expect(outcomes.last.map { if case .rendered(let html) = $0 { html.contains("49999") } else { false } } == true)
    }

    @Test("two renderers work from two threads, and one renderer is shared safely")
    func threads() throws {
        let renderers = [try KaTeXRenderer(), try KaTeXRenderer()]
        defer { renderers.forEach { $0.close() } }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let requests = (0..<300).map { MathRequest(tex: "z^{\(worker)}_{\($0)}", display: false) }
            results.append(worker, Result { try renderers[worker % 2].render(requests) })
        }
        for (worker, result) in results.all {
            let outcomes = try result.get()
            #expect(outcomes.count == 300)
            guard case .rendered(let html) = outcomes[299] else { Issue.record("worker \(worker)"); continue }
            #expect(html.contains("z^{\(worker)}_{299}"))
        }
    }

    // MARK: - Failures

    @Test("a missing node says what to install")
    func missingNode() {
        #expect {
            try KaTeXRenderer(nodePath: "/nonexistent/node")
        } throws: { error in
            String(describing: error).contains("node not found") && String(describing: error).contains("apt-get install nodejs")
        }
    }

    @Test("a missing KaTeX says what to install", arguments: ["/nonexistent/katex", "no-such-katex-module"])
    func missingKaTeX(module: String) {
        #expect {
            try KaTeXRenderer(katexModule: module)
        } throws: { error in
            String(describing: error).hasPrefix("KaTeX not found at \(module): apt-get install katex")
        }
    }

    @Test("a process that dies mid-batch is an error carrying its stderr")
    func processDies() throws {
        let module = FileManager.default.temporaryDirectory.appendingPathComponent("dying-katex-\(UUID()).js")
        try #"""
        module.exports = { version: "dying", renderToString(tex) {
          if (tex === "die") { process.stderr.write("boom\n"); process.exit(7); }
          return "<span>" + tex + "</span>";
        } };
        """#.write(to: module, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: module) }
        let renderer = try KaTeXRenderer(katexModule: module.path)
        defer { renderer.close() }
        #expect(try renderer.render([MathRequest(tex: "a", display: false)]) == [.rendered(html: "<span>a</span>")])
        let batch = ["b", "die", "c"].map { MathRequest(tex: $0, display: false) }
        #expect(throws: KaTeXRendererError.processDied(status: 7, stderr: "boom\n")) { try renderer.render(batch) }
        #expect(throws: KaTeXRendererError.self) { try renderer.render(batch) }
    }

    @Test("a closed renderer refuses to render")
    func closed() throws {
        let renderer = try KaTeXRenderer()
        renderer.close()
        renderer.close()
        #expect(throws: KaTeXRendererError.closed) { try renderer.render([MathRequest(tex: "x", display: false)]) }
    }

    @Test("the assets folder holds the stylesheet and fonts")
    func assets() {
        let folder = KaTeXRenderer.assetsDirectory
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("katex.min.css").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("fonts/KaTeX_Main-Regular.woff2").path))
    }

    // MARK: - Helpers

    /// One renderer for the tests that need nothing special, started once.
    static let started = Result { try KaTeXRenderer() }
    static var shared: KaTeXRenderer { get throws { try started.get() } }

    private func renderOne(_ tex: String, display: Bool = false) throws -> String {
        let outcomes = try Self.shared.render([MathRequest(tex: tex, display: display)])
        guard outcomes.count == 1, case .rendered(let html) = outcomes[0] else {
            Issue.record("\(tex) did not render: \(outcomes)")
            return ""
        }
        return html
    }
}

/// Results gathered from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(Int, Result<[MathOutcome], any Error>)] = []

    func append(_ worker: Int, _ result: Result<[MathOutcome], any Error>) {
        lock.withLock { results.append((worker, result)) }
    }

    var all: [(Int, Result<[MathOutcome], any Error>)] { lock.withLock { results } }
}
