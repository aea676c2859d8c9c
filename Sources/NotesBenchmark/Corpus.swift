import Foundation

/// SplitMix64: a tiny, seeded, platform-independent PRNG, so the corpus is the same on every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (slightly biased by the modulo, which does not matter here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    /// A decimal such as `0.37` with `digits` digits after the point.
    mutating func decimal(_ digits: Int = 2, signed: Bool = false) -> String {
        let scale = Int(pow(10.0, Double(digits)))
        let value = int(1...scale - 1)
        var text = "0." + String(repeating: "0", count: digits - String(value).count) + String(value)
        if signed && chance(0.4) { text = "-" + text }
        return text
    }
}

/// One generated note: file name (without `.md`) and its Markdown text.
struct GeneratedNote {
    var slug: String
    var text: String
    var displayEquations: Int
}

/// Generates the benchmark corpus: derivation notes about neural networks with prose, math, code and tables.
///
/// Deterministic for a given seed and size. Each note has about `words` words of prose (including
/// inline math), `equations` display equations (a third of them labelled `{#eq-nN-M}` and referenced
/// with `@eq-…`, within the note and from later notes), `##`/`###` headings, one or two Swift code
/// blocks (`no-run`: highlighted, not executed), a table, a callout and front matter with title,
/// id, category, summary and order.
struct CorpusGenerator {
    var noteCount = 1_000
    var words = 1_500
    var equations = 20
    var seed: UInt64 = 0x6E6F_7465_7321 // "notes!"

    static let categories = ["Foundations", "Optimisation", "Architectures", "Regularisation", "Probabilistic Models"]

    func generate() -> [GeneratedNote] {
        var rng = SplitMix64(seed: seed)
        var notes: [GeneratedNote] = []
        notes.reserveCapacity(noteCount)
        var labels: [String] = [] // every label so far, for references to earlier notes
        for n in 1...noteCount {
            notes.append(note(n, rng: &rng, earlierLabels: &labels))
        }
        return notes
    }

    // MARK: - A note

    private func note(_ n: Int, rng: inout SplitMix64, earlierLabels: inout [String]) -> GeneratedNote {
        let slug = String(format: "note-%04d", n)
        let category = Self.categories[(n - 1) % Self.categories.count]
        let title = "\(rng.pick(Self.titleHeads)) \(rng.pick(Self.titleTails)) \(n)"
        var out = """
            ---
            title: \(title)
            id: BN-\(String(format: "%04d", n))
            category: \(category)
            summary: \(sentence(&rng, words: rng.int(12...20), inlineMath: false, markup: false))
            order: \(n)
            ---


            """
        // Which equations are labelled; references only point at labels already written.
        let labelled = Set((0..<equations).filter { $0 % 3 == 1 })
        var ownLabels: [String] = []
        var wordsWritten = 0
        var equationsWritten = 0
        let sections = 6
        let wordsPerEquation = words / (equations + 1)
        let codeBlocks = rng.chance(0.5) ? 2 : 1
        var codeWritten = 0
        var tableWritten = false, calloutWritten = false

        out += paragraph(&rng, sentences: 3, labels: [], words: &wordsWritten) + "\n\n"
        for section in 1...sections {
            out += "## \(section). \(heading(&rng))\n\n"
            let equationsHere = equations * section / sections - equations * (section - 1) / sections
            for e in 0..<equationsHere {
                if e == equationsHere / 2 && equationsHere > 1 {
                    out += "### \(heading(&rng))\n\n"
                }
                // Prose up to this equation's share of the words, then the equation.
                let target = wordsPerEquation * (equationsWritten + 1)
                while wordsWritten < target {
                    let references = ownLabels + (earlierLabels.isEmpty ? [] : [rng.pick(earlierLabels)])
                    out += paragraph(&rng, sentences: rng.int(3...5), labels: references, words: &wordsWritten) + "\n\n"
                }
                let tex = equation(&rng, note: n, index: equationsWritten)
                if labelled.contains(equationsWritten) {
                    let label = "eq-n\(n)-\(equationsWritten + 1)"
                    out += "$$\n\(tex)\n$$ {#\(label)}\n\n"
                    ownLabels.append(label)
                } else {
                    out += "$$\n\(tex)\n$$\n\n"
                }
                equationsWritten += 1
            }
            if section == 2 && !calloutWritten {
                out += callout(&rng, words: &wordsWritten)
                calloutWritten = true
            }
            if section == 3 && !tableWritten {
                out += table(&rng)
                tableWritten = true
            }
            if (section == 4 && codeWritten < 1) || (section == 5 && codeWritten < codeBlocks) {
                out += swiftCode(&rng, note: n)
                codeWritten += 1
            }
        }
        while wordsWritten < words {
            out += paragraph(&rng, sentences: rng.int(2...4), labels: ownLabels, words: &wordsWritten) + "\n\n"
        }
        earlierLabels += ownLabels
        return GeneratedNote(slug: slug, text: out, displayEquations: equationsWritten)
    }

    // MARK: - Prose

    private func heading(_ rng: inout SplitMix64) -> String {
        let words = (0..<rng.int(2...5)).map { _ in rng.pick(Self.vocabulary) }
        return words.joined(separator: " ").capitalizedFirst
    }

    private func paragraph(_ rng: inout SplitMix64, sentences: Int, labels: [String], words: inout Int) -> String {
        var parts: [String] = []
        for _ in 0..<sentences {
            let length = rng.int(9...22)
            var text = sentence(&rng, words: length, inlineMath: true)
            if !labels.isEmpty && rng.chance(0.12) {
                text += " By @\(rng.pick(labels)) this follows."
                words += 3
            }
            parts.append(text)
            words += length
        }
        return parts.joined(separator: " ")
    }

    private func sentence(_ rng: inout SplitMix64, words count: Int, inlineMath: Bool, markup: Bool = true) -> String {
        var words: [String] = []
        for i in 0..<count {
            var word = rng.pick(Self.vocabulary)
            if inlineMath && i > 1 && rng.chance(0.05) {
                word = "$" + inlineFormula(&rng) + "$"
            } else if markup && rng.chance(0.015) {
                word = "**\(word)**"
            } else if markup && rng.chance(0.015) {
                word = "*\(word)*"
            } else if markup && rng.chance(0.008) {
                word = "`\(word)()`"
            }
            if i > 2 && i < count - 2 && rng.chance(0.06) { word += "," }
            words.append(word)
        }
        return words.joined(separator: " ").capitalizedFirst + (rng.chance(0.1) ? "?" : ".")
    }

    private func inlineFormula(_ rng: inout SplitMix64) -> String {
        let l = rng.pick(["l", "l-1", "l+1", "L", "\(rng.int(1...6))"])
        switch rng.int(0...9) {
        case 0: return "w^{\(l)}_{jk}"
        case 1: return "z^{\(l)}_j"
        case 2: return "a^{\(l)}_{\(rng.pick(["i", "j", "k"]))}"
        case 3: return "\\eta = \(rng.decimal(3))"
        case 4: return "\\delta^{\(l)}_j"
        case 5: return "\\sigma'(z^{\(l)})"
        case 6: return "\\lambda = \(rng.decimal(2))"
        case 7: return "n = \(rng.int(10...60_000))"
        case 8: return "\\partial C / \\partial b^{\(l)}_j"
        default: return rng.pick(["L", "x", "y", "C", "\\nabla C", "\\odot", "m"])
        }
    }

    private func callout(_ rng: inout SplitMix64, words: inout Int) -> String {
        let kind = rng.pick(["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
        let a = rng.int(10...18), b = rng.int(10...18)
        words += a + b
        return "> [!\(kind)]\n> \(sentence(&rng, words: a, inlineMath: true))\n> \(sentence(&rng, words: b, inlineMath: true))\n\n"
    }

    private func table(_ rng: inout SplitMix64) -> String {
        var out = "| Symbol | Value | Meaning |\n|:------:|------:|---------|\n"
        for _ in 0..<rng.int(4...6) {
            out += "| $\(inlineFormula(&rng))$ | \(rng.decimal(3)) | \(rng.pick(Self.vocabulary)) \(rng.pick(Self.vocabulary)) |\n"
        }
        return out + "\n"
    }

    private func swiftCode(_ rng: inout SplitMix64, note n: Int) -> String {
        let name = rng.pick(["backward", "forward", "update", "step", "train"]) + "\(n)"
        let eta = rng.decimal(3)
        let size = rng.int(2...512)
        // `no-run`: shown and highlighted, not executed as a notebook cell (Hugo only sees "swift").
        return """
            ```swift no-run
            /// One \(rng.pick(Self.vocabulary)) step for layer \(rng.int(1...9)).
            struct Layer\(n) {
                var weights: [[Double]]
                var biases: [Double]

                func \(name)(_ input: [Double], learningRate: Double = \(eta)) -> [Double] {
                    var output = [Double](repeating: 0, count: \(size))
                    for (j, row) in weights.enumerated() {
                        let z = zip(row, input).reduce(biases[j]) { $0 + $1.0 * $1.1 } // weighted input
                        output[j] = 1 / (1 + exp(-z))
                    }
                    return output
                }
            }
            ```


            """
    }

    // MARK: - Equations

    /// A display equation in neural-network notation; indices and numbers vary so that most are unique.
    private func equation(_ rng: inout SplitMix64, note n: Int, index: Int) -> String {
        let l = rng.pick(["l", "l-1", "l+1", "L", "\(rng.int(2...9))"])
        let j = rng.pick(["j", "i", "q"]), k = rng.pick(["k", "m", "r"])
        let size = rng.int(2...1024)
        switch (index + rng.int(0...15)) % 16 {
        case 0:
            return "z^{\(l)}_{\(j)} = \\sum_{\(k)=1}^{\(size)} w^{\(l)}_{\(j)\(k)} a^{\(l)-1}_{\(k)} + b^{\(l)}_{\(j)}"
        case 1:
            return "a^{(\(n % 97))}_{\(j)} = \\sigma\\left(z^{(\(n % 97))}_{\(j)}\\right) = \\frac{1}{1 + e^{-\(rng.decimal(2)) z^{(\(n % 97))}_{\(j)}}}"
        case 2:
            return "C = \\frac{1}{2 \\cdot \(size)} \\sum_{x} \\left\\lVert y(x) - a^{\(l)}(x) \\right\\rVert^2"
        case 3:
            return "\\delta^{\(l)}_{\(j)} = \\frac{\\partial C}{\\partial a^{\(l)}_{\(j)}} \\, \\sigma'\\bigl(z^{\(l)}_{\(j)}\\bigr) + \(rng.decimal(3))"
        case 4:
            return """
                \\begin{aligned}
                \\delta^{\(l)} &= \\bigl((w^{\(l)+1})^{T} \\delta^{\(l)+1}\\bigr) \\odot \\sigma'(z^{\(l)}) \\\\
                \\frac{\\partial C}{\\partial b^{\(l)}_{\(j)}} &= \\delta^{\(l)}_{\(j)} \\\\
                \\frac{\\partial C}{\\partial w^{\(l)}_{\(j)\(k)}} &= a^{\(l)-1}_{\(k)} \\, \\delta^{\(l)}_{\(j)} \\cdot \(rng.decimal(2))
                \\end{aligned}
                """
        case 5:
            return "w^{\(l)}_{\(j)\(k)} \\leftarrow w^{\(l)}_{\(j)\(k)} - \\frac{\(rng.decimal(3))}{\(size)} \\sum_{x} \\frac{\\partial C_x}{\\partial w^{\(l)}_{\(j)\(k)}}"
        case 6:
            return "a^{\(l)}_{\(j)} = \\frac{e^{z^{\(l)}_{\(j)}}}{\\sum_{\(k)=1}^{\(size)} e^{z^{\(l)}_{\(k)}}}"
        case 7:
            return "C = -\\frac{1}{\(size)} \\sum_{x} \\sum_{\(j)} \\left[ y_{\(j)} \\ln a^{\(l)}_{\(j)} + (1 - y_{\(j)}) \\ln\\bigl(1 - a^{\(l)}_{\(j)}\\bigr) \\right]"
        case 8:
            return "C = C_0 + \\frac{\(rng.decimal(3))}{2 \\cdot \(size)} \\sum_{w} w^2, \\qquad \\frac{\\partial C}{\\partial w} = \\frac{\\partial C_0}{\\partial w} + \\frac{\(rng.decimal(3))}{\(size)} w"
        case 9:
            return "W^{(\(rng.int(1...9)))} = \\begin{pmatrix} \(rng.decimal(2, signed: true)) & \(rng.decimal(2, signed: true)) & \(rng.decimal(2, signed: true)) \\\\ \(rng.decimal(2, signed: true)) & \(rng.decimal(2, signed: true)) & \(rng.decimal(2, signed: true)) \\end{pmatrix}"
        case 10:
            return "v_{t+1} = \(rng.decimal(2)) \\, v_t - \(rng.decimal(3)) \\, \\nabla C(w_t), \\qquad w_{t+1} = w_t + v_{t+1}"
        case 11:
            return """
                \\begin{aligned}
                m_t &= \(rng.decimal(2)) \\, m_{t-1} + (1 - \(rng.decimal(2))) \\, g_t \\\\
                \\hat{m}_t &= \\frac{m_t}{1 - \\beta_1^{t}}, \\quad \\hat{v}_t = \\frac{v_t}{1 - \\beta_2^{t}} \\\\
                \\theta_t &= \\theta_{t-1} - \\frac{\(rng.decimal(4)) \\, \\hat{m}_t}{\\sqrt{\\hat{v}_t} + 10^{-\(rng.int(6...9))}}
                \\end{aligned}
                """
        case 12:
            return "\\hat{x}_{\(j)} = \\frac{x_{\(j)} - \\mu_{\\mathcal{B}}}{\\sqrt{\\sigma_{\\mathcal{B}}^2 + 10^{-\(rng.int(3...8))}}}, \\qquad y_{\(j)} = \\gamma \\hat{x}_{\(j)} + \\beta"
        case 13:
            let kernel = rng.int(2...7)
            return "z_{\(j),\(k)} = \\sum_{u=0}^{\(kernel - 1)} \\sum_{v=0}^{\(kernel - 1)} w_{u,v} \\, x_{\(j)+u,\\,\(k)+v} + b_{\(rng.int(1...64))}"
        case 14:
            return "\\operatorname{ReLU}'(z^{\(l)}_{\(j)}) = \\begin{cases} 1 & \\text{if } z^{\(l)}_{\(j)} > \(rng.decimal(2)) \\\\ 0 & \\text{otherwise} \\end{cases}"
        default:
            return "\\frac{\\partial C}{\\partial w^{\(l)}_{\(j)\(k)}} = \\underbrace{a^{\(l)-1}_{\(k)}}_{\\text{input}} \\; \\underbrace{\\delta^{\(l)}_{\(j)}}_{\\text{error}} \\approx \(rng.decimal(4))"
        }
    }

    // MARK: - Words

    static let titleHeads = ["Deriving", "Understanding", "Notes on", "Revisiting", "A Closer Look at", "Computing",
                             "Bounding", "Training with", "Why We Need", "Implementing"]
    static let titleTails = ["Backpropagation", "the Cross-Entropy Cost", "Softmax Outputs", "Weight Decay", "Momentum",
                             "Batch Normalisation", "Convolutions", "Saturated Neurons", "Adam", "Vanishing Gradients",
                             "the Quadratic Cost", "Dropout", "Learning Rates", "Mini-Batches", "Initialisation"]

    static let vocabulary: [String] = """
        the a an of to in for on with by from as at into over under between through across along after before \
        and or but so because while although when where which that this these those each every any some many few \
        network neuron layer weight bias activation gradient cost loss error signal input output hidden unit \
        derivative partial chain rule sum product matrix vector scalar tensor element row column index entry \
        forward backward pass step update rate learning descent stochastic batch epoch example training test \
        validation sample data set label target prediction probability distribution likelihood entropy cross \
        softmax sigmoid logistic rectifier linear nonlinear function map value term factor constant variable \
        small large positive negative zero one two three first second last next previous final initial \
        we compute derive obtain write define apply multiply add subtract divide expand differentiate integrate \
        show prove assume suppose consider note observe recall remember notice see find get give take make \
        is are was were be been being has have had does do did can could should would may might must will \
        quickly slowly carefully exactly roughly nearly only also still then thus hence therefore however indeed \
        convex smooth bounded stable unstable noisy sparse dense deep shallow wide narrow fully connected \
        convolutional recurrent residual normalised regularised penalised weighted averaged squared absolute \
        momentum velocity acceleration decay schedule warmup plateau minimum maximum saddle point curvature \
        hessian jacobian eigenvalue norm distance angle direction magnitude length scale shift offset \
        parameter hyperparameter model architecture capacity overfitting underfitting generalisation variance \
        noise dropout ensemble average mean median estimate estimator unbiased consistent efficient robust \
        proof lemma theorem corollary definition remark claim argument induction contradiction case \
        equation identity inequality bound limit series expansion approximation order residual remainder \
        simple clear obvious subtle careful important useful natural familiar standard usual common rare \
        intuition picture geometry algebra calculus analysis statistics optimisation computation memory \
        time cost budget efficiency precision accuracy rounding overflow underflow stability implementation \
        code program loop array buffer cache thread kernel device library framework benchmark experiment \
        result figure table section chapter note reader student teacher course lecture exercise problem
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}

extension String {
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
